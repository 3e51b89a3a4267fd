using System.Text.Json;

namespace Meridian.Server.Http;

/// <summary>Lenient reads of client JSON: a field that is missing or of another kind is simply absent.</summary>
public static class JsonFields
{
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number : null;

    public static int? WholeNumber(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    /// <summary>The strings of an array field (other items are skipped); empty when the field is not an array.</summary>
    public static IReadOnlyList<string> Texts(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>Whether some string of a JSON text cannot be read as a .NET string: JSON lets an escape name half of
    /// a surrogate pair alone (<c>"\ud800"</c>), which no string can hold, and reading it throws. Checked where client
    /// JSON comes in, so that such input is refused as malformed rather than failing later.</summary>
    public static bool HasUnreadableText(ReadOnlySpan<byte> json)
    {
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
                // Only escaped strings can hold a lone surrogate: unescaped ones were checked as UTF-8 by the reader.
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

    /// <summary>A user message's text, wherever a client put it: <c>content</c>, <c>message</c>, <c>text</c> or
    /// <c>input</c> (REST bodies and WebSocket frames accept the same places).</summary>
    public static string? MessageText(JsonElement element) =>
        Text(element, "content") ?? Text(element, "message") ?? Text(element, "text") ?? Text(element, "input");
}
