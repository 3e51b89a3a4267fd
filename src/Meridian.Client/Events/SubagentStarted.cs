using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class SubagentStarted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Message => Raw.Text("message");
}
