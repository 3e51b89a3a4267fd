using Meridian.Bench.WsFanout;

namespace Meridian.Bench.Cluster;

/// <summary>Event latency across nodes at a controlled rate. Node A is MeridianApp in this process on PostgreSQL
/// (<see cref="MeridianFanoutHost"/>: its pipeline emits <c>agent_response_delta</c> events through the run's real
/// emitter at the driver's pace, each with the <c>Stopwatch</c> timestamp of its emit); node B is the published server
/// as its own process on the same database. One user has a socket on each node, both read in this process: the
/// socket on A gets each event from A's run bus once the event log committed it (the baseline), the socket on B once
/// that commit's NOTIFY woke B's listener and B read the events from <c>run_events</c> and published them
/// (docs/deploy.md#3-how-nodes-talk). Both latencies are of the same events, on one clock.</summary>
internal static class CrossNodeLatency
{
    public static async Task<(FanoutPhase SameNode, FanoutPhase OtherNode)> MeasureAsync(BenchPostgres postgres, string apphost, ClusterOptions options)
    {
        var database = await postgres.CreateDatabaseAsync("bench_latency", pool: 50);
        await using var nodeA = await MeridianFanoutHost.StartAsync(options.Runs, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = database,
            ["Runs:NodeId"] = "bench-node-a",
            // The phases' runs last longer than a default lease (15 s): a long one keeps a lease that was not renewed
            // in time on a busy machine from having a node end them (docs/deploy.md#5-a-node-dies-a-node-drains).
            ["Runs:LeaseSeconds"] = "600",
        });
        await using var nodeB = await PublishedServer.StartAsync(apphost, ClusterNodes.Settings(database), "bench-node-b");
        var token = BenchAuth.Token(WsFanoutBenchmark.User, TimeSpan.FromHours(2));
        await using var onA = await FanoutReceivers.ConnectAsync(nodeA.BaseAddress, 1, token);
        await using var onB = await FanoutReceivers.ConnectAsync(nodeB.BaseAddress, 1, token);
        FanoutReceivers[] groups = [onA, onB];

        // Warm-up at the same rate (JIT, pools, both nodes' statements), then the measured phase.
        await nodeA.PhaseAsync(groups, options.Rate, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(options.Warmup));
        var phases = await nodeA.PhaseAsync(groups, options.Rate, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(options.Seconds));
        Console.WriteLine($"same node: {phases[0]}; other node: {phases[1]}");
        return (phases[0], phases[1]);
    }
}
