namespace Meridian.Server.Runs;

/// <summary>How an accepted run reaches an executor (docs/runs.md#1-life-of-a-run). With SQLite the accepting node
/// holds it and executes it when its turn comes (<see cref="LocalRunIntake"/>); with PostgreSQL it goes into the
/// cluster's queue in the runs table, and any node with room claims it (docs/runs.md#5-the-cluster-queue).</summary>
public interface IRunIntake
{
    /// <summary>Stores the run, queued, with the user's message, and hands it on to be executed; null when the user
    /// already has as many active runs as <see cref="RunOptions.MaxConcurrentRunsPerUser"/> and
    /// <see cref="RunOptions.MaxQueuedRunsPerUser"/> allow together.</summary>
    Task<RunRecord?> AcceptAsync(string threadId, string userId, string agent, string input, CancellationToken cancellationToken);

    /// <summary>Ends a run that waits in the cluster queue, held by no node, with <c>agent_started</c> then
    /// <c>agent_stopped</c>; false when the run is not waiting there (a node holds it, or it ended).</summary>
    Task<bool> StopWaitingAsync(RunRecord run, string reason);
}
