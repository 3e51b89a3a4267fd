using System.Text.Json;

namespace Meridian.Testing.Llm;

/// <summary>A request the fake server got: when, its headers (lower-case names) and its JSON body.</summary>
public sealed record ReceivedRequest(DateTime At, Dictionary<string, string> Headers, JsonElement Body)
{
    public bool Streaming => Body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;

    /// <summary>The text of a message's content (or of Anthropic's <c>system</c>), in either form the protocols allow: a
    /// string, or a list of text parts (<c>[{"type":"text","text":…}]</c>), which the SDKs send.</summary>
    public static string? Text(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString(),
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(part => part.GetProperty("type").GetString() == "text")
            .Select(part => part.GetProperty("text").GetString())),
        _ => null,
    };
}
