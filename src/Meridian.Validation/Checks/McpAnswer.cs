using System.Text.Json;
using Meridian.Client.Http;

namespace Meridian.Validation.Checks;

/// <summary>The JSON-RPC message of a <c>POST /mcp</c> answer. MCP's streamable HTTP answers either with JSON or with
/// server-sent events (<c>event: message</c>, <c>data: {…}</c>), and MCP clients accept both (docs/agents.md#6-mcp).</summary>
internal static class McpAnswer
{
    /// <summary>The Accept header MCP's streamable HTTP transport asks clients to send.</summary>
    public static readonly IReadOnlyDictionary<string, string> Accept = new Dictionary<string, string> { ["Accept"] = "application/json, text/event-stream" };

    /// <summary>The answer's message, or null when its body holds none as a JSON object.</summary>
    public static JsonElement? Read(ApiResponse response)
    {
        if (response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) != true)
        {
            return response.Json is { ValueKind: JsonValueKind.Object } json ? json : null;
        }

        // The first event's data lines, joined, are its JSON.
        var data = response.Body.Split('\n').Select(l => l.TrimEnd('\r'))
            .SkipWhile(l => !l.StartsWith("data:", StringComparison.Ordinal))
            .TakeWhile(l => l.StartsWith("data:", StringComparison.Ordinal))
            .Select(l => l["data:".Length..].TrimStart());
        try
        {
            using var document = JsonDocument.Parse(string.Join("\n", data));
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
