namespace Meridian.Server.Runs;

/// <summary>One event of a run (docs/runs.md#2-events). <see cref="Json"/> is the whole flat envelope, serialised once:
/// the same bytes are stored, replayed, sent on every socket and over SSE.</summary>
public sealed record RunEvent(string RunId, string ThreadId, string UserId, long Seq, string Type, byte[] Json)
{
    public bool IsTerminal => RunEventTypes.IsTerminal(Type);
}
