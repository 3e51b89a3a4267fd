using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class AgentCompleted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    /// <summary>The final answer (Markdown).</summary>
    public string? Response => Raw.Text("response");

    public JsonElement? Result => Raw.Field("result");

    public JsonElement? Usage => Raw.Field("usage");

    public long? DurationMs => Raw.Number("duration_ms");
}
