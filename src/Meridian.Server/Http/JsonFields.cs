using System.Text.Json;

namespace Meridian.Server.Http;

/// <summary>Lenient reads of client JSON: a field that is missing or of another kind is simply absent.</summary>
public static class JsonFields
{
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
