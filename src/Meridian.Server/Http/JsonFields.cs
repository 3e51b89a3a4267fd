using System.Text.Json;

namespace Meridian.Server.Http;

/// <summary>Lenient reads of client JSON: a field that is missing or of another kind is simply absent.</summary>
public static class JsonFields
{
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A user message's text, wherever a client put it: <c>content</c>, <c>message</c>, <c>text</c> or
    /// <c>input</c> (REST bodies and WebSocket frames accept the same places).</summary>
    public static string? MessageText(JsonElement element) =>
        Text(element, "content") ?? Text(element, "message") ?? Text(element, "text") ?? Text(element, "input");
}
