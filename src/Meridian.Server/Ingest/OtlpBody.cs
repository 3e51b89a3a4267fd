using System.IO.Compression;
using Google.Protobuf;
using Meridian.Server.Ingest.Otlp;
using Microsoft.Net.Http.Headers;

namespace Meridian.Server.Ingest;

/// <summary>Reads an OTLP/HTTP export body: its encoding from the content type, gzip or not, at most a configured
/// size after decompression (so a small compressed body cannot expand without bound), into the request message.</summary>
internal static class OtlpBody
{
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static OtlpEncoding? EncodingOf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) ? media.MediaType.Value?.ToLowerInvariant() switch
        {
            "application/x-protobuf" or "application/protobuf" => OtlpEncoding.Protobuf,
            "application/json" => OtlpEncoding.Json,
            _ => null,
        } : null;

    /// <summary>Whether the body is gzip-compressed (true) or not (false); null for a <c>Content-Encoding</c> the
    /// receiver does not read.</summary>
    public static bool? IsGzip(HttpRequest request) => request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant() switch
    {
        "gzip" => true,
        "" or "identity" => false,
        _ => null,
    };

    /// <summary>The decompressed body, or null when it is larger than <paramref name="maxBytes"/>. A broken gzip
    /// stream throws <see cref="InvalidDataException"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, bool gzip, long maxBytes, CancellationToken ct)
    {
        await using var source = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
        var input = source ?? request.Body;
        using var buffer = new MemoryStream(request.ContentLength is { } length and > 0 && length <= maxBytes ? (int)length : 64 * 1024);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await input.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The export request; a body that is not one throws <see cref="InvalidProtocolBufferException"/> (or, for
    /// JSON, <see cref="InvalidJsonException"/>).</summary>
    public static ExportTraceServiceRequest Parse(byte[] body, OtlpEncoding encoding) => encoding == OtlpEncoding.Protobuf
        ? ExportTraceServiceRequest.Parser.ParseFrom(body)
        : Json.Parse<ExportTraceServiceRequest>(new StreamReader(new MemoryStream(body), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false));

    /// <summary>The answer in the request's encoding.</summary>
    public static (byte[] Body, string ContentType) Answer(ExportTraceServiceResponse response, OtlpEncoding encoding) => encoding == OtlpEncoding.Protobuf
        ? (response.ToByteArray(), "application/x-protobuf")
        : (System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(response)), "application/json");
}
