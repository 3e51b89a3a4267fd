using System.Data.Common;
using Dapper;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Server.Threads;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Cluster;

/// <summary>The statements of the cluster queue in the runs table (docs/runs.md#5-the-cluster-queue). A waiting run
/// is <c>queued</c> with no <c>node_id</c>; a node claims it by marking it <c>running</c> with its id and a lease. A
/// run is claimable while it is its user's oldest waiting run and fewer than
/// <see cref="RunOptions.MaxConcurrentRunsPerUser"/> of the user's runs run anywhere: so only one run per user is
/// ever a candidate, claims of it meet on its row lock, and arrival order holds per user. A claimed run is added to
/// <see cref="ActiveRuns"/> before its claim commits, so a stop that finds it held by this node finds it here.</summary>
internal sealed class RunQueueStore(
    Database database,
    MessageStore messages,
    ActiveRuns active,
    RunNode node,
    IOptions<RunOptions> options,
    TimeProvider clock)
{
    private const string Claim = "UPDATE runs SET status = 'running', node_id = @node, started_at = @now, lease_expires_at = @until ";

    private const string Waiting = "status = 'queued' AND node_id IS NULL";

    private static readonly string ClaimOwn = Claim + $"WHERE id = @runId AND {Waiting} AND {Eligible("runs")} RETURNING {RunStore.Columns}";

    private static readonly string ClaimNext = Claim +
        $"WHERE id = (SELECT q.id FROM runs q WHERE q.status = 'queued' AND q.node_id IS NULL AND {Eligible("q")} " +
        $"ORDER BY q.created_at, q.id LIMIT 1 FOR UPDATE SKIP LOCKED) AND {Waiting} RETURNING {RunStore.Columns}";

    /// <summary>The user's oldest waiting run, while fewer than the limit of theirs run anywhere.</summary>
    private static string Eligible(string run) =>
        $"NOT EXISTS (SELECT 1 FROM runs o WHERE o.user_id = {run}.user_id AND o.status = 'queued' AND o.node_id IS NULL " +
        $"AND (o.created_at, o.id) < ({run}.created_at, {run}.id)) " +
        $"AND (SELECT count(*) FROM runs r WHERE r.user_id = {run}.user_id AND r.status = 'running') < @limit";

    /// <summary>Admits the run (fewer active runs of the user than both limits together, counted under an advisory
    /// lock on the user, so two nodes never both take the last place), stores it with the user's message and, when
    /// <paramref name="mayClaim"/>, claims it for this node if it may run now. Otherwise every node hears of it.
    /// Null when refused; else the run and, when claimed, the run as this node holds it.</summary>
    public async Task<(RunRecord Run, ActiveRun? Claimed)?> AcceptAsync(RunRecord run, bool mayClaim, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await MayAdmitAsync(connection, transaction, run.UserId, cancellationToken))
        {
            return null;
        }

        await RunStore.InsertAsync(connection, transaction, run, cancellationToken);
        await messages.AddAsync(connection, transaction, run.ThreadId, run.UserId, MessageRoles.User, run.Input, run.Id, cancellationToken);
        var claimed = mayClaim ? await ClaimAsync(connection, transaction, ClaimOwn, run.Id, cancellationToken) : null;
        if (claimed is null)
        {
            await NotifyAsync(connection, transaction, cancellationToken);
        }

        await CommitAsync(transaction, claimed, cancellationToken);
        return (claimed?.Record ?? run, claimed);
    }

    /// <summary>Claims the oldest claimable run for this node; null when there is none.</summary>
    public Task<ActiveRun?> ClaimNextAsync(CancellationToken cancellationToken) => ClaimInTransactionAsync(ClaimNext, null, cancellationToken);

    /// <summary>Takes a waiting run for this node to end it (a stop): held here, still <c>queued</c>, so it never
    /// counts as running; null when it no longer waits.</summary>
    public Task<ActiveRun?> TakeAsync(string runId, CancellationToken cancellationToken) => ClaimInTransactionAsync(
        $"UPDATE runs SET node_id = @node, lease_expires_at = @until WHERE id = @runId AND {Waiting} RETURNING {RunStore.Columns}", runId, cancellationToken);

    /// <summary>Puts runs this node claimed but has not begun (no event stored) back into the queue: one run, or
    /// (<paramref name="runId"/> null) every such run but <paramref name="held"/>. Returns how many.</summary>
    public async Task<int> HandBackAsync(string? runId, IReadOnlyCollection<string> held, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var count = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET status = 'queued', node_id = NULL, started_at = NULL, lease_expires_at = NULL " +
            "WHERE node_id = @node AND status = 'running' AND (CAST(@runId AS text) IS NULL OR id = @runId) AND NOT (id = ANY(@held)) " +
            "AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = runs.id)",
            new { node = node.Id, runId, held = held.ToArray() }, transaction, cancellationToken: cancellationToken));
        if (count > 0)
        {
            await NotifyAsync(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>Runs waiting in the queue, all nodes together.</summary>
    public async Task<long> CountWaitingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM runs WHERE {Waiting}", cancellationToken: cancellationToken));
    }

    /// <summary>Tells every node that a run may be claimable (a user's run ended on a node that claims nothing).</summary>
    public async Task NotifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await NotifyAsync(connection, null, cancellationToken);
    }

    private async Task<bool> MayAdmitAsync(DbConnection connection, DbTransaction transaction, string userId, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext(@userId))", new { userId }, transaction, cancellationToken: cancellationToken));
        var activeRuns = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM runs WHERE user_id = @userId AND status IN ('queued', 'running')", new { userId }, transaction, cancellationToken: cancellationToken));
        return activeRuns < options.Value.MaxConcurrentRunsPerUser + options.Value.MaxQueuedRunsPerUser;
    }

    private async Task<ActiveRun?> ClaimInTransactionAsync(string sql, string? runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await ClaimAsync(connection, transaction, sql, runId, cancellationToken);
        await CommitAsync(transaction, claimed, cancellationToken);
        return claimed;
    }

    private async Task<ActiveRun?> ClaimAsync(DbConnection connection, DbTransaction transaction, string sql, string? runId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var record = await connection.QuerySingleOrDefaultAsync<RunRecord>(new CommandDefinition(sql, new
        {
            runId,
            node = node.Id,
            now,
            until = now + options.Value.LeaseSeconds * 1000L,
            limit = options.Value.MaxConcurrentRunsPerUser,
        }, transaction, cancellationToken: cancellationToken));
        if (record is null)
        {
            return null;
        }

        var run = new ActiveRun(record);
        active.Add(run);
        return run;
    }

    private async Task CommitAsync(DbTransaction transaction, ActiveRun? claimed, CancellationToken cancellationToken)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch when (claimed is not null)
        {
            active.Remove(claimed);
            throw;
        }
    }

    private Task NotifyAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_notify(@channel, @origin)", new { channel = ClusterChannels.RunQueued, origin = node.Id }, transaction, cancellationToken: cancellationToken));
}
