using System.Diagnostics;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;

namespace Meridian.Tests.Cluster;

/// <summary>A node killed with SIGKILL in the middle of a run: another node ends the run once its lease runs out,
/// the user's sockets on the surviving nodes get the terminal event live, and a resume through the load balancer
/// returns every event of the run once (docs/deploy.md#5-a-node-dies-a-node-drains).</summary>
[Collection(SerialProcesses.Name)]
public sealed class ClusterFailoverTests(ClusterHarness cluster) : IClassFixture<ClusterHarness>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_run_of_a_killed_node_ends_on_the_surviving_sockets_and_resumes_once_through_the_balancer()
    {
        ClusterHarness.Require();
        var token = ClusterHarness.NewUserToken();
        var sockets = await cluster.SocketsOnNodesAsync(token, 3);
        var (victimNode, victim) = sockets.First();
        var survivors = sockets.Where(s => s.Key != victimNode).Select(s => s.Value).ToList();
        using var held = cluster.Hold();

        await victim.SendAsync(new { type = "user_message", content = "We spend $12k a month on GPT-4; how do we halve that?", id = 1 });
        var runId = (await victim.ExpectTypeAsync("run_accepted", Wait)).GetProperty("run_id").GetString()!;
        foreach (var survivor in survivors)
        {
            // Mid-run: the report has begun streaming and is held there.
            await ClusterEvents.SeenOrNextAsync(survivor, f => ClusterEvents.IsEventOf(f, runId) && ClusterEvents.Type(f) == "agent_response_delta", Wait);
        }

        (await cluster.NodeOfRunAsync(runId)).ShouldBe(victimNode);
        cluster.Kill(victimNode);
        var sinceKill = Stopwatch.StartNew();

        foreach (var survivor in survivors)
        {
            var events = await ClusterEvents.UntilTerminalAsync(survivor, runId, Wait);
            var terminal = events[^1];
            ClusterEvents.Type(terminal).ShouldBe("agent_failed", cluster.Output);
            terminal.GetProperty("error_code").GetString().ShouldBe("RUN_INTERRUPTED");
            terminal.GetProperty("recoverable").GetBoolean().ShouldBeTrue();
            ClusterEvents.Seqs(events).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i));
            RunInvariants.Violations(events).ShouldBeEmpty();
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"kill -9 -> terminal event on the surviving sockets: {sinceKill.Elapsed.TotalSeconds:0.0} s");
        sinceKill.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        (await cluster.NodeOfRunAsync(runId)).ShouldNotBe(victimNode);

        var all = await ResumeAsync(token, runId, 0);
        ClusterEvents.Seqs(all).ShouldBe(Enumerable.Range(1, all.Count).Select(i => (long)i));
        all.Select(e => e.GetRawText()).ShouldBe((await ClusterEvents.UntilTerminalAsync(survivors[0], runId, Wait)).Select(e => e.GetRawText()));
        var half = all.Count / 2;
        ClusterEvents.Seqs(await ResumeAsync(token, runId, half)).ShouldBe(Enumerable.Range(half + 1, all.Count - half).Select(i => (long)i));
        foreach (var socket in sockets.Values)
        {
            await socket.DisposeAsync();
        }
    }

    /// <summary>A new socket through nginx, resuming the run after <paramref name="afterSeq"/> until its terminal event.</summary>
    private async Task<List<System.Text.Json.JsonElement>> ResumeAsync(string token, string runId, long afterSeq)
    {
        await using var socket = await WsClient.OpenAsync(cluster.BaseAddress, token, wait: Wait);
        await socket.SendAsync(new { type = "resume", run_id = runId, after_seq = afterSeq, id = 9 });
        return await ClusterEvents.UntilTerminalAsync(socket, runId, Wait);
    }

}
