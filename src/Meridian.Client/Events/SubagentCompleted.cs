using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class SubagentCompleted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    /// <summary><c>completed</c>, <c>failed</c> or <c>skipped</c>.</summary>
    public string? Status => Raw.Text("status");

    public string? Summary => Raw.Text("summary");

    public long? DurationMs => Raw.Number("duration_ms");
}
