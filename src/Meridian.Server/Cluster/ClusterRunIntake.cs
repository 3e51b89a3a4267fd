using Meridian.Server.Runs;

namespace Meridian.Server.Cluster;

/// <summary>The cluster queue (PostgreSQL, docs/runs.md#5-the-cluster-queue): an accepted run is stored queued and
/// claimed by this node at once when it has room and the run is its user's next; otherwise any node with room claims
/// it (<see cref="RunDispatcher"/>).</summary>
internal sealed class ClusterRunIntake(
    RunQueueStore store,
    RunStore runs,
    RunScheduler scheduler,
    RunDispatcher dispatcher,
    RunExecutor executor) : IRunIntake
{
    public async Task<RunRecord?> AcceptAsync(string threadId, string userId, string agent, string input, CancellationToken cancellationToken)
    {
        var slot = scheduler.TryTakeSlot();
        try
        {
            if (await store.AcceptAsync(runs.New(threadId, userId, agent, input), slot is not null, CancellationToken.None) is not { } accepted)
            {
                return null;
            }

            if (accepted.Claimed is { } claimed)
            {
                dispatcher.Start(claimed, slot!);
                slot = null;
            }

            return accepted.Run;
        }
        finally
        {
            slot?.Dispose();
        }
    }

    /// <summary>Takes the waiting run for this node and ends it here and now, so no node ever claims it.</summary>
    public async Task<bool> StopWaitingAsync(RunRecord run, string reason)
    {
        if (await store.TakeAsync(run.Id, CancellationToken.None) is not { } taken)
        {
            return false;
        }

        lock (taken)
        {
            taken.StopReason = reason;
        }

        await taken.Cancellation.CancelAsync();
        await executor.ExecuteClaimedAsync(taken, null);
        return true;
    }
}
