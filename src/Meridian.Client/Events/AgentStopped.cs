using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class AgentStopped(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Reason => Raw.Text("reason");
}
