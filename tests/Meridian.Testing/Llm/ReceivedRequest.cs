using System.Text.Json;

namespace Meridian.Testing.Llm;

/// <summary>A request the fake server got: when, its headers (lower-case names) and its JSON body.</summary>
public sealed record ReceivedRequest(DateTime At, Dictionary<string, string> Headers, JsonElement Body)
{
    public bool Streaming => Body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
}
