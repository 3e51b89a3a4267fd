namespace Meridian.Bench.Cluster;

/// <summary>Runs completed per second by one cluster size, with what went wrong and where the runs executed.</summary>
internal sealed record ThroughputResult(int Nodes, double RunsPerSecond, long Completed, ThroughputCounter Counter, IReadOnlyDictionary<string, long> PerNode)
{
    public override string ToString() =>
        $"{Nodes} node(s): {RunsPerSecond:F1} runs/s ({Completed} in the window; {Counter.Failed} failed, {Counter.Errors} refused, {Counter.Closed} sockets closed; " +
        $"completed per node {string.Join(", ", PerNode.Select(n => $"{n.Key} {n.Value}"))})";
}
