using Meridian.Client.Events;

namespace Meridian.Validation.Checks;

/// <summary>One run as a socket saw it: when its message went out, its acceptance, and its events up to the
/// terminal one, in arrival order.</summary>
public sealed record RunTranscript(string Text, DateTimeOffset SentAt, RunAcceptedFrame Accepted, IReadOnlyList<RunEvent> Events)
{
    public string RunId => Accepted.RunId!;

    public string ThreadId => Accepted.ThreadId!;

    public RunEvent Terminal => Events[^1];

    public AgentCompleted? Completed => Terminal as AgentCompleted;

    public IEnumerable<string> Types => Events.Select(e => e.Type);

    public string Summary => $"{RunId}: {Events.Count} events ({string.Join(", ", Events.GroupBy(e => e.Type).Select(g => $"{g.Count()} {g.Key}"))})";
}
