using System.Text.Json;
using System.Text.Unicode;

namespace Meridian.Server.Http;

/// <summary>Lenient reads of client JSON: a field that is missing or of another kind is simply absent.</summary>
public static class JsonFields
{
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A string field read strictly: true with the text (null when the field, or the object, is absent or JSON null), false
    /// when it holds another kind, which a route refuses rather than read as absent (a number where a thread id
    /// belongs must not quietly mean "no thread").</summary>
    public static bool TryOptionalText(JsonElement element, string name, out string? value)
    {
        value = null;
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var field) || field.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        value = field.ValueKind == JsonValueKind.String ? field.GetString() : null;
        return value is not null;
    }

    public static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number : null;

    public static int? WholeNumber(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    /// <summary>The strings of an array field (other items are skipped); empty when the field is not an array.</summary>
    public static IReadOnlyList<string> Texts(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>Whether some string of a JSON text cannot be read as a .NET string, so that reading it would throw:
    /// bytes that are not UTF-8 (JSON text is UTF-8, yet the reader checks a string's bytes only when the string is
    /// read), or an escape that names half of a surrogate pair alone (<c>"\ud800"</c>, valid JSON syntax that no
    /// string can hold). Checked wherever client JSON comes in, so that such input is refused as malformed rather
    /// than failing later (docs/http-api.md).</summary>
    public static bool HasUnreadableText(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return true;
        }

        // Only a \u escape can name a surrogate: most texts have none and need no second read.
        if (json.IndexOf("\\u"u8) < 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                // Only escaped strings can hold a lone surrogate; the UTF-8 of the others was checked above.
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (JsonException)
        {
            // Not JSON at all: the parse reports that.
        }

        return false;
    }

    /// <summary>The places a user message's text may be put (<see cref="MessageText"/>).</summary>
    public static readonly IReadOnlyList<string> MessageFields = ["content", "message", "text", "input"];

    /// <summary>A user message's text, wherever a client put it: <c>content</c>, <c>message</c>, <c>text</c> or
    /// <c>input</c> (REST bodies and WebSocket frames accept the same places).</summary>
    public static string? MessageText(JsonElement element) =>
        Text(element, "content") ?? Text(element, "message") ?? Text(element, "text") ?? Text(element, "input");
}
