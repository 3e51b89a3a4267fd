using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class ToolExecuting(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? ToolName => Raw.Text("tool_name");

    public string? CallId => Raw.Text("call_id");

    public JsonElement? Parameters => Raw.Field("parameters");
}
