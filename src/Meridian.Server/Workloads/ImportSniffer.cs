using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Meridian.Server.Workloads;

/// <summary>Tells an export's format from its first bytes, without consuming them (docs/workloads.md#22-import):
/// JSON is recognised by the keys of its first item (found through a top-level array and <c>data</c> arrays), CSV by
/// its header row. Only the formats of other tools are recognised; Meridian's own CSV and JSON Lines are told by the
/// content type or file name, as before.</summary>
internal static class ImportSniffer
{
    /// <summary>How much of the body is looked at: far more than the keys of a first item need.</summary>
    public const int PeekBytes = 64 * 1024;

    public static async Task<ContentSniff> SniffAsync(PipeReader body, CancellationToken ct)
    {
        while (true)
        {
            var result = await body.ReadAsync(ct);
            var buffer = result.Buffer;
            if (!result.IsCompleted && buffer.Length < PeekBytes)
            {
                body.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var head = buffer.Slice(0, Math.Min(buffer.Length, PeekBytes)).ToArray();
            body.AdvanceTo(buffer.Start);
            return Sniff(head, result.IsCompleted && buffer.Length <= PeekBytes);
        }
    }

    public static ContentSniff Sniff(ReadOnlySpan<byte> head, bool whole)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        head = head.TrimStart(" \t\r\n"u8);
        if (head.IsEmpty)
        {
            return new ContentSniff(null, false, false);
        }

        if (head[0] is not ((byte)'{' or (byte)'['))
        {
            var header = head.IndexOfAny("\r\n"u8) is var end and >= 0 ? head[..end] : head;
            var cells = CsvRecord.Header(header, out _) ?? [];
            var liteLlm = cells.Contains("request_id", StringComparer.OrdinalIgnoreCase) && cells.Contains("spend", StringComparer.OrdinalIgnoreCase);
            return new ContentSniff(liteLlm ? ImportFormat.LiteLlm : null, false, false);
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var rootHasData = false;
        var json = new Utf8JsonReader(head, whole, new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true }));
        try
        {
            if (json.Read() && (json.TokenType == JsonTokenType.StartObject || (json.Read() && json.TokenType == JsonTokenType.StartObject)))
            {
                rootHasData = FirstItemKeys(ref json, keys);
            }
        }
        catch (JsonException)
        {
            // Not JSON after all, or cut short: the keys seen so far decide.
        }

        return new ContentSniff(Classify(keys), true, rootHasData);
    }

    /// <summary>Collects the keys of the first item into <paramref name="keys"/>, descending into a <c>data</c> array
    /// (of a page, and of the buckets it holds); true when the object at hand holds such an array.</summary>
    private static bool FirstItemKeys(ref Utf8JsonReader json, HashSet<string> keys)
    {
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var name = json.GetString()!;
            if (!json.Read())
            {
                break;
            }

            if (name == "data" && json.TokenType == JsonTokenType.StartArray)
            {
                keys.Clear();
                if (json.Read() && json.TokenType == JsonTokenType.StartObject)
                {
                    FirstItemKeys(ref json, keys);
                }

                return true;
            }

            keys.Add(name);
            if (!json.TrySkip())
            {
                break;
            }
        }

        return false;
    }

    private static ImportFormat? Classify(HashSet<string> keys) =>
        keys.Contains("results") && (keys.Contains("start_time") || keys.Contains("end_time")) ? ImportFormat.OpenAiUsage
        : keys.Contains("results") && (keys.Contains("starting_at") || keys.Contains("ending_at")) ? ImportFormat.AnthropicUsage
        : keys.Contains("spend") && (keys.Contains("request_id") || keys.Contains("call_type")) ? ImportFormat.LiteLlm
        : keys.Contains("traceId") || (keys.Contains("type") && keys.Contains("startTime")) ? ImportFormat.Langfuse
        : null;
}
