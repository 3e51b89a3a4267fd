using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Meridian.Bench.Cluster;

/// <summary>Runs completed per second by N published nodes on one PostgreSQL database with the built-in engine (the
/// full pipeline, no model provider), driven by many users over WebSockets: user i's socket is on node i mod N, and
/// each user sends its next message as soon as its run ended. Counted after a warm-up, over a fixed window.</summary>
internal static class RunThroughput
{
    private const int ConnectBatch = 25;

    public static async Task<ThroughputResult> MeasureAsync(BenchPostgres postgres, string apphost, int nodeCount, ClusterOptions options)
    {
        var database = await postgres.CreateDatabaseAsync($"bench_runs_{nodeCount}", pool: 50);
        var nodes = await ClusterNodes.StartAsync(apphost, database, nodeCount);
        var users = new List<ThroughputUser>();
        try
        {
            for (var i = 0; i < options.Users; i += ConnectBatch)
            {
                users.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(ConnectBatch, options.Users - i))
                    .Select(u => ThroughputUser.ConnectAsync(nodes[u % nodeCount].BaseAddress, $"tp{nodeCount}_{u}"))));
            }

            var counter = new ThroughputCounter();
            using var stop = new CancellationTokenSource();
            var loops = users.Select(u => Task.Run(() => u.RunAsync(counter, stop.Token))).ToList();
            await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
            var before = counter.Completed;
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
            var completed = counter.Completed - before;
            var elapsed = clock.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            // The turns under way finish before the nodes stop (bounded: a stuck run must not hang the benchmark).
            await Task.WhenAny(Task.WhenAll(loops), Task.Delay(TimeSpan.FromMinutes(2)));
            var result = new ThroughputResult(nodeCount, completed / elapsed, completed, counter, await PerNodeAsync(database));
            Console.WriteLine(result);
            return result;
        }
        finally
        {
            foreach (var user in users)
            {
                await user.DisposeAsync();
            }

            await ClusterNodes.StopAsync(nodes);
        }
    }

    private static async Task<Dictionary<string, long>> PerNodeAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        var rows = await connection.QueryAsync<(string Node, long Runs)>(
            "SELECT node_id, count(*) FROM runs WHERE status = 'completed' GROUP BY node_id ORDER BY node_id");
        return rows.ToDictionary(r => r.Node, r => r.Runs, StringComparer.Ordinal);
    }
}
