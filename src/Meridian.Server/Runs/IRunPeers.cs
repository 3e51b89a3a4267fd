namespace Meridian.Server.Runs;

/// <summary>The other nodes sharing this node's database, as the run runtime sees them: a run held elsewhere is
/// stopped there (docs/deploy.md#3-how-nodes-talk). With SQLite there are none.</summary>
public interface IRunPeers
{
    /// <summary>Whether other nodes may hold runs (PostgreSQL).</summary>
    bool Enabled { get; }

    /// <summary>Asks the node holding <paramref name="run"/> to stop it and waits (briefly) until it has; false when
    /// the run ended otherwise first.</summary>
    Task<bool> StopAsync(RunRecord run, string reason, CancellationToken cancellationToken);
}
