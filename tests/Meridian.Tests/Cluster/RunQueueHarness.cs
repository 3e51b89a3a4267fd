using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Meridian.Tests.Cluster;

/// <summary>Two nodes on one PostgreSQL database for the cluster run queue (docs/runs.md#5-the-cluster-queue):
/// node-a has room for one run at a time, node-b for four, and a user may run two at once anywhere.</summary>
public sealed class RunQueueHarness() : ClusterHarness(new Dictionary<string, Dictionary<string, string?>>
{
    ["node-a"] = new() { ["MERIDIAN_Runs__MaxConcurrentRuns"] = "1", ["MERIDIAN_Runs__MaxConcurrentRunsPerUser"] = "2" },
    ["node-b"] = new() { ["MERIDIAN_Runs__MaxConcurrentRuns"] = "4", ["MERIDIAN_Runs__MaxConcurrentRunsPerUser"] = "2" },
})
{
    public const int PerUser = 2;

    /// <summary>Sends a message through <paramref name="api"/> without waiting for its run; returns the run's id.</summary>
    public static async Task<string> StartAsync(HttpClient api, string message = "How much do we spend on GPT-4?")
    {
        using var accepted = await api.PostAsJsonAsync("/api/agents/execute?wait=false", new { message }, TestContext.Current.CancellationToken);
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        return body.GetProperty("run_id").GetString()!;
    }

    /// <summary>Every stored event of the run, in seq order.</summary>
    public static async Task<List<JsonElement>> EventsAsync(HttpClient api, string runId) =>
        [.. (await api.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/events", TestContext.Current.CancellationToken))
            .GetProperty("events").EnumerateArray()];

    /// <summary>How many of <paramref name="runIds"/> the runs table shows running now.</summary>
    public async Task<long> RunningAsync(IReadOnlyList<string> runIds)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM runs WHERE id = ANY(@runIds) AND status = 'running'", new { runIds = runIds.ToArray() });
    }

    /// <summary>The runs ordered by arrival (created_at, id), with when each started.</summary>
    public async Task<List<(string Id, long? StartedAt)>> StartsInArrivalOrderAsync(IReadOnlyList<string> runIds)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return [.. await connection.QueryAsync<(string, long?)>(
            "SELECT id, started_at FROM runs WHERE id = ANY(@runIds) ORDER BY created_at, id", new { runIds = runIds.ToArray() })];
    }

    /// <summary>Puts a waiting run in the state node <paramref name="nodeId"/>'s claim leaves it (running, held by
    /// that node, with a lease), without the node holding it in memory; false when the run no longer waited.</summary>
    public async Task<bool> MarkClaimedAsync(string runId, string nodeId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return await connection.ExecuteAsync(
            "UPDATE runs SET status = 'running', node_id = @nodeId, started_at = @now, lease_expires_at = @until " +
            "WHERE id = @runId AND status = 'queued' AND node_id IS NULL",
            new { runId, nodeId, now, until = now + 120_000 }) == 1;
    }

    /// <summary>Each type of the events, in order.</summary>
    public static List<string> Types(IEnumerable<JsonElement> events) => [.. events.Select(ClusterEvents.Type)];
}
