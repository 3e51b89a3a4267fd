using Dapper;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Cluster;

/// <summary>A user's run limits across all nodes of one PostgreSQL database (docs/runs.md#1-life-of-a-run): admission
/// counts the user's queued and running runs in the runs table, and a run starts executing only while fewer than
/// <see cref="RunOptions.MaxConcurrentRunsPerUser"/> of the user's runs execute anywhere. Both count under a
/// transaction-scoped advisory lock on the user, so two nodes never both take the last place. With SQLite the
/// node's own scheduler is the whole story.</summary>
internal sealed class ClusterRunLimits(Database database, IOptions<RunOptions> options, TimeProvider clock) : IRunLimits
{
    /// <summary>How often a run waiting for a place held on another node looks again.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether the user may have one more run accepted: fewer than the concurrent and queued limits together
    /// are active on all nodes.</summary>
    public async Task<bool> MayAdmitAsync(string userId, CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            return true;
        }

        var o = options.Value;
        await using var connection = await database.OpenAsync(cancellationToken);
        var active = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM runs WHERE user_id = @userId AND status IN ('queued', 'running')", new { userId }, cancellationToken: cancellationToken));
        return active < o.MaxConcurrentRunsPerUser + o.MaxQueuedRunsPerUser;
    }

    /// <summary>Waits until the run may execute (fewer of the user's runs execute on any node than the limit) and
    /// marks it running in the same transaction.</summary>
    public async Task WaitTurnAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            return;
        }

        while (!await TryStartAsync(run, cancellationToken))
        {
            await Task.Delay(Poll, clock, cancellationToken);
        }
    }

    private async Task<bool> TryStartAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext(@userId))", new { userId = run.UserId }, transaction, cancellationToken: cancellationToken));
        var started = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET status = 'running', started_at = @now WHERE id = @runId AND status = 'queued' " +
            "AND (SELECT count(*) FROM runs WHERE user_id = @userId AND status = 'running') < @limit",
            new { runId = run.Id, userId = run.UserId, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), limit = options.Value.MaxConcurrentRunsPerUser },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return started == 1 || !await IsQueuedAsync(run.Id, cancellationToken);
    }

    /// <summary>A run no longer queued (ended meanwhile) waits no more: the executor ends it as it stands.</summary>
    private async Task<bool> IsQueuedAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT status FROM runs WHERE id = @runId", new { runId }, cancellationToken: cancellationToken)) == RunStatus.Queued;
    }
}
