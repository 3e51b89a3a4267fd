using System.Runtime.InteropServices;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;

namespace Meridian.Tests.Cluster;

/// <summary>A draining node hands back to the cluster queue the runs it claimed but has not begun, and claims nothing
/// more; another node executes them (docs/runs.md#5-the-cluster-queue). Its own cluster: the node drained exits.</summary>
[Collection(SerialProcesses.Name)]
public sealed class RunQueueDrainTests(RunQueueHarness cluster) : IClassFixture<RunQueueHarness>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_draining_nodes_claimed_but_unbegun_run_executes_on_another_node()
    {
        ClusterHarness.Require();
        var token = ClusterHarness.NewUserToken();
        using var onB = cluster.Api(token, "node-b");
        using var held = cluster.Hold();
        using var onA = cluster.Api(token, "node-a");
        var running = new List<string> { await RunQueueHarness.StartAsync(onA), await RunQueueHarness.StartAsync(onA) };
        await cluster.WaitForStatusAsync(running, "running", Wait);
        (await cluster.NodeOfRunAsync(running[0])).ShouldBe("node-a");
        var waiting = await RunQueueHarness.StartAsync(onB, "And on Claude?");

        // Between a claim and agent_started there is no time to act from outside: the test leaves the run as node-a's
        // claim would, then drains node-a.
        (await cluster.MarkClaimedAsync(waiting, "node-a")).ShouldBeTrue("the user runs as many as their limit allows, so the run waited");
        cluster.Nodes["node-a"].Signal(PosixSignal.SIGTERM);
        held.Release();

        // Completed, by node-b, with one agent_started: handed back unbegun (recovery would have failed it as
        // RUN_INTERRUPTED, and node-a, draining, claims nothing).
        try
        {
            await cluster.WaitForStatusAsync([waiting], "completed", Wait);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{await cluster.StatusOfRunAsync(waiting)} on {await cluster.NodeOfRunAsync(waiting)}\n{cluster.Output}");
        }
        (await cluster.NodeOfRunAsync(waiting)).ShouldBe("node-b", cluster.Output);
        var events = await RunQueueHarness.EventsAsync(onB, waiting);
        RunQueueHarness.Types(events).Count(t => t == "agent_started").ShouldBe(1);
        RunInvariants.Violations(events).ShouldBeEmpty();
        cluster.Nodes["node-a"].Output.ShouldContain("1 claimed runs that had not begun went back to the cluster queue");
        (await cluster.Nodes["node-a"].WaitForExitAsync(Wait)).ShouldBe(0, cluster.Output);
    }
}
