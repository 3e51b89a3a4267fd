using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class ToolCompleted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? ToolName => Raw.Text("tool_name");

    public string? CallId => Raw.Text("call_id");

    /// <summary><c>success</c> or <c>error</c>.</summary>
    public string? Status => Raw.Text("status");

    public string? Result => Raw.Text("result");

    public JsonElement? Data => Raw.Field("data");

    public long? DurationMs => Raw.Number("duration_ms");
}
