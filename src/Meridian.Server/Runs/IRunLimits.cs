namespace Meridian.Server.Runs;

/// <summary>A user's run limits beyond this node (docs/runs.md#1-life-of-a-run): with several nodes on one PostgreSQL
/// database they are counted in the runs table; with SQLite this node's <see cref="RunScheduler"/> is all there is.</summary>
public interface IRunLimits
{
    /// <summary>Whether the user may have one more run accepted, counting their active runs on every node.</summary>
    Task<bool> MayAdmitAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Waits (after this node's own turn) until fewer of the user's runs execute on any node than the limit,
    /// and marks the run running.</summary>
    Task WaitTurnAsync(RunRecord run, CancellationToken cancellationToken);
}
