using System.Text.Json;

namespace Meridian.Client.Events;

public sealed class AgentThinking(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Reasoning => Raw.Text("reasoning");

    public long? Step => Raw.Number("step");

    public long? TotalSteps => Raw.Number("total_steps");
}
