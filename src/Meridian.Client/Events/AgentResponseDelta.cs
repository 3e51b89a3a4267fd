using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class AgentResponseDelta(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Delta => Raw.Text("delta");
}
