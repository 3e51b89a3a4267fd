using System.Text;
using Meridian.Bench.WsFanout;

namespace Meridian.Bench.Cluster;

/// <summary>Several nodes on one PostgreSQL (bench/README.md, "cluster"): the latency of an event from its emit on
/// node A to a socket on node B at a sustained rate, against the same events on a socket of node A (same run), and
/// runs completed per second by 1 node and by N nodes (the built-in engine, many users over WebSockets). PostgreSQL
/// is a throw-away server of the benchmark's own (<see cref="BenchPostgres"/>), a fresh database per part.</summary>
internal static class ClusterBenchmark
{
    private const double TargetP99Ms = 10;

    public static async Task<string> RunAsync(bool quick, string[] args)
    {
        var options = ClusterOptions.Parse(quick, args);
        var apphost = await PublishedServer.PublishAsync();
        await using var postgres = await BenchPostgres.StartAsync();
        var (sameNode, otherNode) = await CrossNodeLatency.MeasureAsync(postgres, apphost, options);
        var one = await RunThroughput.MeasureAsync(postgres, apphost, 1, options);
        var many = await RunThroughput.MeasureAsync(postgres, apphost, options.Nodes, options);
        return Report(options, sameNode, otherNode, one, many);
    }

    private static string Report(ClusterOptions o, FanoutPhase sameNode, FanoutPhase otherNode, ThroughputResult one, ThroughputResult many)
    {
        var (a, b) = (sameNode.Latency, otherNode.Latency);
        var text = new StringBuilder();
        text.AppendLine("### cluster: events across nodes and run throughput on one PostgreSQL");
        text.AppendLine();
        text.AppendLine("| measurement | result | baseline (same run) | ratio |");
        text.AppendLine("|---|---|---|---|");
        text.AppendLine($"| event emit on node A → socket on node B, {o.Rate} events/s asked ({otherNode.EventsPerSecond:F0}/s received), {o.Seconds} s " +
                        $"| p50 {b.Percentile(50):F2} ms, p99 {b.Percentile(99):F2} ms (n={b.Count}) " +
                        $"| same events → socket on node A: p50 {a.Percentile(50):F2} ms, p99 {a.Percentile(99):F2} ms (n={a.Count}) " +
                        $"| p50 {b.Percentile(50) / a.Percentile(50):F1}×, p99 {b.Percentile(99) / a.Percentile(99):F1}× |");
        text.AppendLine($"| runs completed per second, built-in engine, {o.Users} users, {o.Nodes} nodes, {o.Seconds} s | {many.RunsPerSecond:F1} runs/s " +
                        $"| 1 node: {one.RunsPerSecond:F1} runs/s | {many.RunsPerSecond / one.RunsPerSecond:F2}× |");
        text.AppendLine();
        text.AppendLine($"Latency: node A is MeridianApp in the benchmark's process (Release, PostgreSQL) whose pipeline emits `agent_response_delta` events " +
                        $"from {o.Runs} concurrent runs of one user through the run's real emitter, paced to the asked rate, each carrying the `Stopwatch` " +
                        "time of its emit; node B is the published server as its own process on the same database. The user's socket on A gets each event " +
                        "once the event log committed it (the baseline); the socket on B once that commit's NOTIFY woke B's listener and B read the events " +
                        "from `run_events` and published them. Both sockets are read in the benchmark's process, so both latencies are of the same events " +
                        $"on one clock (after {o.Warmup} s of warm-up at the same rate). Throughput: published nodes (Production, built-in engine), user i's " +
                        $"socket on node i mod N, each user sending its next message when its run ended (per-user message rate raised to 600/min so the " +
                        $"gateway's flood limit is not what is measured), counted over {o.Seconds} s after {o.Warmup} s; a fresh database for each part. " +
                        "PostgreSQL with its default (durable) settings, all processes on this machine.");
        text.AppendLine($"Throughput detail: {one}; {many}.");
        text.AppendLine($"Target: node A → node B p99 ≤ {TargetP99Ms:0} ms at {o.Rate} events/s — {(b.Percentile(99) <= TargetP99Ms ? "met" : "NOT met")} ({b.Percentile(99):F2} ms).");
        text.AppendLine($"Command: `{BenchArgs.Command("cluster", o.Args)}`");
        return text.ToString();
    }
}
