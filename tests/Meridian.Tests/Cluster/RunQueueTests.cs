using System.Net.Http.Json;
using System.Text.Json;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;

namespace Meridian.Tests.Cluster;

/// <summary>The cluster run queue with two nodes on one database (docs/runs.md#5-the-cluster-queue): a run accepted
/// on a node without room executes on a node with room, a waiting run stopped from another node never executes,
/// and a user's limit holds across the nodes with every run executed once, in arrival order.</summary>
[Collection(SerialProcesses.Name)]
public sealed class RunQueueTests(RunQueueHarness cluster) : IClassFixture<RunQueueHarness>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_run_accepted_on_a_node_without_room_executes_on_a_node_with_room()
    {
        ClusterHarness.Require();
        using var onA = cluster.Api(ClusterHarness.NewUserToken(), "node-a");
        using var held = cluster.Hold();

        var first = await RunQueueHarness.StartAsync(onA);
        await cluster.WaitForStatusAsync([first], "running", Wait);
        var second = await RunQueueHarness.StartAsync(onA);
        await cluster.WaitForStatusAsync([second], "running", Wait);

        // node-a executes one run at a time (Runs:MaxConcurrentRuns=1): the second was claimed by node-b.
        (await cluster.NodeOfRunAsync(first)).ShouldBe("node-a", cluster.Output);
        (await cluster.NodeOfRunAsync(second)).ShouldBe("node-b", cluster.Output);
        held.Release();
        await cluster.WaitForStatusAsync([first, second], "completed", Wait);
        foreach (var run in new[] { first, second })
        {
            await ShouldHaveExecutedOnceAsync(onA, run);
        }
    }

    [Fact]
    public async Task A_waiting_run_stopped_from_another_node_ends_once_and_never_executes()
    {
        ClusterHarness.Require();
        var token = ClusterHarness.NewUserToken();
        using var onA = cluster.Api(token, "node-a");
        using var onB = cluster.Api(token, "node-b");
        var running = new List<string>();
        string waiting;
        using (var held = cluster.Hold())
        {
            for (var i = 0; i < RunQueueHarness.PerUser; i++)
            {
                running.Add(await RunQueueHarness.StartAsync(onA));
            }

            await cluster.WaitForStatusAsync(running, "running", Wait);
            waiting = await RunQueueHarness.StartAsync(onA, "And on Claude?");
            (await cluster.StatusOfRunAsync(waiting)).ShouldBe("queued", "the user runs as many as their limit allows");

            using var cancelled = await onB.PostAsync($"/api/runs/{waiting}/cancel", null, TestContext.Current.CancellationToken);
            var answer = await cancelled.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            cancelled.EnsureSuccessStatusCode();
            answer.GetProperty("status").GetString().ShouldBe("stopped", answer.ToString());
            held.Release();
        }

        await cluster.WaitForStatusAsync(running, "completed", Wait);
        // The queue has moved on past the stopped run: a later run of the user executes and completes.
        var later = await RunQueueHarness.StartAsync(onB, "And on Gemini?");
        await cluster.WaitForStatusAsync([later], "completed", Wait);

        var events = await RunQueueHarness.EventsAsync(onA, waiting);
        RunQueueHarness.Types(events).ShouldBe(["agent_started", "agent_stopped"], cluster.Output);
        RunInvariants.Violations(events).ShouldBeEmpty();
        (await cluster.StatusOfRunAsync(waiting)).ShouldBe("stopped");
        (await cluster.NodeOfRunAsync(waiting)).ShouldBe("node-b", "the node that stopped it ended it");
    }

    [Fact]
    public async Task A_users_runs_never_exceed_their_limit_across_nodes_and_each_executes_once_in_arrival_order()
    {
        ClusterHarness.Require();
        var token = ClusterHarness.NewUserToken();
        using var onA = cluster.Api(token, "node-a");
        using var onB = cluster.Api(token, "node-b");
        var runs = new List<string>();
        var most = 0L;
        using (var held = cluster.Hold())
        {
            for (var i = 0; i < 6; i++)
            {
                runs.Add(await RunQueueHarness.StartAsync(i % 2 == 0 ? onA : onB, $"Question {i}: how much do we spend on GPT-4?"));
            }

            await cluster.WaitForStatusAsync(runs.Take(RunQueueHarness.PerUser).ToList(), "running", Wait);
            most = await cluster.RunningAsync(runs);
            held.Release();
            using var deadline = new CancellationTokenSource(Wait);
            while (await cluster.RunningAsync(runs) is var now && (now > 0 || await AnyQueuedAsync(runs)))
            {
                most = Math.Max(most, now);
                await Task.Delay(20, deadline.Token);
            }
        }

        await cluster.WaitForStatusAsync(runs, "completed", Wait);
        most.ShouldBe(RunQueueHarness.PerUser, "never more than the user's limit ran at once, and the limit was reached");
        var starts = await cluster.StartsInArrivalOrderAsync(runs);
        starts.Select(s => s.StartedAt!.Value).ShouldBeInOrder(SortDirection.Ascending, "runs of one user start in arrival order");
        foreach (var run in runs)
        {
            await ShouldHaveExecutedOnceAsync(onA, run);
        }
    }

    private async Task<bool> AnyQueuedAsync(IReadOnlyList<string> runs)
    {
        foreach (var run in runs)
        {
            if (await cluster.StatusOfRunAsync(run) == "queued")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One <c>agent_started</c>, one terminal event, consecutive seqs: no node executed the run twice.</summary>
    private static async Task ShouldHaveExecutedOnceAsync(HttpClient api, string runId)
    {
        var events = await RunQueueHarness.EventsAsync(api, runId);
        RunQueueHarness.Types(events).Count(t => t == "agent_started").ShouldBe(1, runId);
        events.Count(ClusterEvents.IsTerminal).ShouldBe(1, runId);
        ClusterEvents.Seqs(events).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i));
        RunInvariants.Violations(events).ShouldBeEmpty(runId);
    }
}
