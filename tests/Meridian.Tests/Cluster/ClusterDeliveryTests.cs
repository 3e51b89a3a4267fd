using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;
using Meridian.Tests.Validation;
using Meridian.Validation;

namespace Meridian.Tests.Cluster;

/// <summary>Three nodes behind nginx: a user's sockets on different nodes see every event of their runs live, a stop
/// reaches the node executing the run, and the deployment validation passes through the load balancer
/// (docs/deploy.md).</summary>
[Collection(SerialProcesses.Name)]
public sealed class ClusterDeliveryTests(ClusterHarness cluster) : IClassFixture<ClusterHarness>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sockets_on_two_nodes_both_get_every_event_of_a_run_in_order_and_once()
    {
        ClusterHarness.Require();
        var token = ClusterHarness.NewUserToken();
        var sockets = await cluster.SocketsOnNodesAsync(token, 2);
        var (senderNode, sender) = sockets.First();
        var (otherNode, other) = sockets.Last();

        await sender.SendAsync(new { type = "user_message", content = "We spend $12k a month on GPT-4; how do we halve that?", id = 1 });
        var runId = (await sender.ExpectTypeAsync("run_accepted", Wait)).GetProperty("run_id").GetString()!;
        var onSender = await ClusterEvents.UntilTerminalAsync(sender, runId, Wait);
        var onOther = await ClusterEvents.UntilTerminalAsync(other, runId, Wait);

        var executedOn = await cluster.NodeOfRunAsync(runId);
        executedOn.ShouldBe(senderNode, cluster.Output);
        executedOn.ShouldNotBe(otherNode);
        using var api = cluster.Api(token);
        var stored = (await api.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/events", TestContext.Current.CancellationToken))
            .GetProperty("events").EnumerateArray().ToList();
        stored.Count.ShouldBeGreaterThan(3);
        ClusterEvents.Seqs(stored).ShouldBe(Enumerable.Range(1, stored.Count).Select(i => (long)i));
        ClusterEvents.Seqs(onSender).ShouldBe(ClusterEvents.Seqs(stored), cluster.Output);
        ClusterEvents.Seqs(onOther).ShouldBe(ClusterEvents.Seqs(stored), cluster.Output);
        onOther.Select(e => e.GetRawText()).ShouldBe(onSender.Select(e => e.GetRawText()));
        RunInvariants.Violations(onOther).ShouldBeEmpty();
        await DisposeAllAsync(sockets.Values);
    }

    [Fact]
    public async Task A_stop_sent_on_one_node_ends_a_run_executing_on_another()
    {
        ClusterHarness.Require();
        var token = ClusterHarness.NewUserToken();
        var sockets = await cluster.SocketsOnNodesAsync(token, 2);
        var (_, sender) = sockets.First();
        var (otherNode, other) = sockets.Last();
        using var held = cluster.Hold();

        await sender.SendAsync(new { type = "user_message", content = "How much do we spend on GPT-4?", id = 1 });
        var runId = (await sender.ExpectTypeAsync("run_accepted", Wait)).GetProperty("run_id").GetString()!;
        // The run is under way on the sender's node, and its events reach the other node.
        await ClusterEvents.SeenOrNextAsync(other, f => ClusterEvents.IsEventOf(f, runId) && ClusterEvents.Type(f) == "agent_started", Wait);
        (await cluster.NodeOfRunAsync(runId)).ShouldNotBe(otherNode);

        var sentAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await other.SendAsync(new { type = "stop_agent", run_id = runId, id = 2 });
        var stopped = await ClusterEvents.SeenOrNextAsync(other, f => ClusterEvents.IsEventOf(f, runId) && ClusterEvents.IsTerminal(f), Wait);
        var received = clock.Elapsed;
        var answer = await ClusterEvents.SeenOrNextAsync(other, f => ClusterEvents.Type(f) is "stop_requested" or "error", Wait);

        ClusterEvents.Type(stopped).ShouldBe("agent_stopped", cluster.Output);
        ClusterEvents.Type(answer).ShouldBe("stop_requested", answer.ToString());
        // The stop's own propagation: sent here, written as agent_stopped by the node executing the run.
        var written = stopped.GetProperty("timestamp").GetDateTimeOffset() - sentAt;
        TestContext.Current.TestOutputHelper?.WriteLine($"stop sent -> agent_stopped written on the executing node: {written.TotalMilliseconds:0} ms; -> received on the other node's socket: {received.TotalMilliseconds:0} ms");
        // Within 1 s on an idle machine; the bound leaves room for a loaded CI runner (docs/deploy.md#3-how-nodes-talk).
        written.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        (await ClusterEvents.UntilTerminalAsync(sender, runId, Wait)).Last().GetProperty("type").GetString().ShouldBe("agent_stopped");
        await DisposeAllAsync(sockets.Values);
    }

    [Fact]
    public async Task A_users_runs_execute_at_most_three_at_once_across_all_nodes()
    {
        ClusterHarness.Require();
        var token = ClusterHarness.NewUserToken();
        var sockets = await cluster.SocketsOnNodesAsync(token, 3);
        using var held = cluster.Hold();
        var runs = new List<string>();
        foreach (var socket in sockets.Values)
        {
            await socket.SendAsync(new { type = "user_message", content = "How much do we spend on GPT-4?", id = runs.Count });
            runs.Add((await socket.ExpectTypeAsync("run_accepted", Wait)).GetProperty("run_id").GetString()!);
        }

        // One run on each node, all three executing (held mid-answer): the user's limit (Runs:MaxConcurrentRunsPerUser).
        await cluster.WaitForStatusAsync(runs, "running", Wait);
        var first = sockets.Values.First();
        await first.SendAsync(new { type = "user_message", content = "And on Claude?", id = 9 });
        var fourth = (await first.ExpectTypeAsync("run_accepted", Wait)).GetProperty("run_id").GetString()!;

        // Its node executes only one of the user's runs, yet the fourth waits: three execute in the cluster.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        (await cluster.StatusOfRunAsync(fourth)).ShouldBe("queued");
        held.Release();
        ClusterEvents.Type((await ClusterEvents.UntilTerminalAsync(first, fourth, Wait))[^1]).ShouldBe("agent_completed", cluster.Output);
        await cluster.WaitForStatusAsync(runs, "completed", Wait);
        await DisposeAllAsync(sockets.Values);
    }

    [Fact]
    public async Task A_logout_on_one_node_closes_the_tokens_sockets_on_every_node()
    {
        ClusterHarness.Require();
        var token = ClusterHarness.NewUserToken();
        var sockets = await cluster.SocketsOnNodesAsync(token, 3);
        using var api = cluster.Api(token);

        var clock = Stopwatch.StartNew();
        (await api.PostAsync("/auth/logout", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        foreach (var (node, socket) in sockets)
        {
            var revoked = await ClusterEvents.SeenOrNextAsync(socket, f => ClusterEvents.Type(f) == "error", Wait);
            revoked.GetProperty("error_code").GetString().ShouldBe("TOKEN_REVOKED", node);
            (await socket.ExpectCloseAsync(Wait)).ShouldBe(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, node);
        }

        // Well under the 300 s periodic check these nodes run with: the notification carried it.
        TestContext.Current.TestOutputHelper?.WriteLine($"logout -> every node's socket closed: {clock.Elapsed.TotalMilliseconds:0} ms");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        await DisposeAllAsync(sockets.Values);
    }

    [Fact]
    public async Task Meridian_validate_passes_through_the_load_balancer()
    {
        ClusterHarness.Require();
        var runner = new ValidationRunner(new ValidationSettings
        {
            Target = cluster.BaseAddress,
            Credentials = new Credentials.E2EKey(ValidationHarness.BypassKey),
        });

        var report = await runner.RunAsync(TestContext.Current.CancellationToken);

        report.ExitCode.ShouldBe(ValidationReport.Passed,
            string.Join("\n", report.Results.Where(r => r.Fails(false)).Select(r => $"{r.Check.Id}: {r.Diagnosis}")));
    }


    private static async Task DisposeAllAsync(IEnumerable<WsClient> sockets)
    {
        foreach (var socket in sockets)
        {
            await socket.DisposeAsync();
        }
    }
}
