using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class AgentFailed(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? ErrorCode => Raw.Text("error_code");

    public string? Message => Raw.Text("message");

    public bool? Recoverable => Raw.Flag("recoverable");
}
