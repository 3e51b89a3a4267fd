namespace Meridian.Bench.WsCapacity;

/// <summary>What a ws-capacity run measured, for its report.</summary>
internal sealed record CapacityOutcome(
    IReadOnlyList<CapacityNode> Nodes, WelcomeTimes Welcome, int StillOpen, int Workers, TimeSpan Ramp,
    bool Capped, int Target, ulong FileLimit)
{
    /// <summary>Sockets the servers held (<c>/ws/health</c> authenticated) after the hold.</summary>
    public int ServerHeld => Nodes.Sum(n => n.Held);

    /// <summary>(RSS after − RSS before, summed over the nodes) / sockets held, in bytes.</summary>
    public double PerSocket => (Nodes.Sum(n => n.RssAfter) - Nodes.Sum(n => n.RssBefore)) / (double)Math.Max(1, ServerHeld);
}
