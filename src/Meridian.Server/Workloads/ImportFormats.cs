using Microsoft.Net.Http.Headers;

namespace Meridian.Server.Workloads;

/// <summary>Which format an upload is in: <c>?format=</c> first, then what the content looks like
/// (<see cref="ImportSniffer"/>), then the content type, then the file name (docs/workloads.md#22-import).</summary>
public static class ImportFormats
{
    private static readonly string[] CsvTypes = ["text/csv", "application/csv", "text/comma-separated-values"];

    private static readonly string[] JsonlTypes =
        ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines", "application/json-lines"];

    public static ImportFormat? FromQuery(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        "csv" => ImportFormat.Csv,
        "jsonl" or "ndjson" or "jsonlines" => ImportFormat.Jsonl,
        "litellm" => ImportFormat.LiteLlm,
        "langfuse" => ImportFormat.Langfuse,
        "openai-usage" => ImportFormat.OpenAiUsage,
        "anthropic-usage" => ImportFormat.AnthropicUsage,
        _ => null,
    };

    /// <summary>The <c>?format=</c> values, for answers that list them.</summary>
    public const string Names = "csv, jsonl, litellm, langfuse, openai-usage or anthropic-usage";

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
