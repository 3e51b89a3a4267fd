using System.Text.Json;
using Dapper;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Validation;
using Npgsql;

namespace Meridian.Tests.Cluster;

/// <summary><c>meridian load</c> (the built CLI as a process) with 200 users for 60 s through nginx in front of three
/// nodes: every event of every run reaches its user's socket once and in order, and the runs execute on all the
/// nodes (docs/cli.md#3-meridian-load, docs/deploy.md).</summary>
[Collection(SerialProcesses.Name)]
public sealed class ClusterLoadTests(ClusterLoadTests.Nodes cluster) : IClassFixture<ClusterLoadTests.Nodes>
{
    [Fact]
    public async Task Two_hundred_users_for_a_minute_through_nginx_lose_and_duplicate_no_event()
    {
        ClusterHarness.Require();
        var dir = Directory.CreateTempSubdirectory("meridian-cluster-load-").FullName;

        var run = await CliProcess.RunAsync(
            "load", "--target", cluster.BaseAddress.ToString(), "--e2e-key", ValidationHarness.BypassKey,
            "--users", "200", "--duration", "60s", "--ramp", "10s", "--report-dir", dir);

        var json = Path.Combine(dir, "load.json");
        File.Exists(json).ShouldBeTrue(run.ToString());
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken)).RootElement;
        var totals = report.GetProperty("totals");
        var perNode = await CompletedRunsByNodeAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{run.Output}\nruns completed per node: {string.Join(", ", perNode.Select(n => $"{n.Key} {n.Value}"))}");
        var failure = $"{run}\n{File.ReadAllText(Path.Combine(dir, "load.md"))}";
        totals.GetProperty("lost_events").GetInt64().ShouldBe(0, failure);
        totals.GetProperty("duplicated_events").GetInt64().ShouldBe(0, failure);
        totals.GetProperty("errors").GetInt32().ShouldBe(0, failure);
        totals.GetProperty("turns_failed").GetInt32().ShouldBe(0, failure);
        totals.GetProperty("users_connected").GetInt32().ShouldBe(200, failure);
        var turns = totals.GetProperty("turns_completed").GetInt32();
        // Every user took turns for the whole minute: at least one each, however loaded the machine.
        turns.ShouldBeGreaterThanOrEqualTo(200, failure);
        totals.GetProperty("events").GetInt64().ShouldBeGreaterThan(2L * turns);
        run.ExitCode.ShouldBe(0, failure);
        report.GetProperty("verdict").GetString().ShouldBe("pass");

        // The runs the users saw complete are the runs the cluster completed, spread over its nodes by nginx.
        perNode.Values.Sum().ShouldBe(turns, cluster.Output);
        perNode.Count.ShouldBeGreaterThan(1, $"every run executed on one node: {string.Join(", ", perNode.Keys)}");
    }

    /// <summary>Once no run is queued or running (a run's row may be marked completed just after its terminal event
    /// went out), how many each node completed.</summary>
    private async Task<Dictionary<string, long>> CompletedRunsByNodeAsync()
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')") > 0)
        {
            await Task.Delay(100, deadline.Token);
        }

        var rows = await connection.QueryAsync<(string Node, long Runs)>(
            "SELECT node_id, count(*) FROM runs WHERE status = 'completed' GROUP BY node_id ORDER BY node_id");
        return rows.ToDictionary(r => r.Node, r => r.Runs, StringComparer.Ordinal);
    }

    /// <summary>The cluster with a connection budget for 200 users: a pool of 40 per node (3 × 41 connections stay
    /// below CI's max_connections of 300 beside the other tests' databases, as docs/deploy.md#4-postgresql-sizing-and-connections
    /// budgets them). No node dies here, so the leases are longer than the fixture's short
    /// ones, which exist to make a killed node's runs end sooner.</summary>
    public sealed class Nodes : ClusterHarness
    {
        protected override IEnumerable<KeyValuePair<string, string?>> NodeSettings(TestDatabase database) =>
        [
            new("MERIDIAN_Storage__ConnectionString", new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 40 }.ConnectionString),
            new("MERIDIAN_Runs__LeaseSeconds", "60"),
        ];
    }
}
