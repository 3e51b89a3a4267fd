using Microsoft.Net.Http.Headers;

namespace Meridian.Server.Workloads;

/// <summary>Which format an upload is in: <c>?format=</c> first, then the content type, then the file name.</summary>
public static class ImportFormats
{
    private static readonly string[] CsvTypes = ["text/csv", "application/csv", "text/comma-separated-values"];

    private static readonly string[] JsonlTypes =
        ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines", "application/json-lines"];

    public static ImportFormat? FromQuery(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        "csv" => ImportFormat.Csv,
        "jsonl" or "ndjson" or "jsonlines" => ImportFormat.Jsonl,
        _ => null,
    };

    public static ImportFormat? FromContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Value is { } type
            ? CsvTypes.Contains(type, StringComparer.OrdinalIgnoreCase) ? ImportFormat.Csv
            : JsonlTypes.Contains(type, StringComparer.OrdinalIgnoreCase) ? ImportFormat.Jsonl
            : null
            : null;

    public static ImportFormat? FromFileName(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
    {
        ".csv" => ImportFormat.Csv,
        ".jsonl" or ".ndjson" => ImportFormat.Jsonl,
        _ => null,
    };
}
