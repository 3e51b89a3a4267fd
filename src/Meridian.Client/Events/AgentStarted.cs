using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class AgentStarted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Message => Raw.Text("message");

    /// <summary>The planned stages, in order.</summary>
    public IReadOnlyList<string> Agents => Raw.Strings("agents");
}
