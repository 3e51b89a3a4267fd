using System.Data.Common;
using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Runs;

/// <summary>Run rows: status, timings, usage, and the lease of the node that owns an active run.</summary>
public sealed class RunStore(Database database, TimeProvider clock)
{
    public const string Columns =
        "id, thread_id AS ThreadId, user_id AS UserId, agent, status, input, error_code AS ErrorCode, error_message AS ErrorMessage, " +
        "usage, node_id AS NodeId, lease_expires_at AS LeaseExpiresAt, created_at AS CreatedAt, started_at AS StartedAt, ended_at AS EndedAt";

    /// <summary>Stores a new queued run held by <paramref name="nodeId"/> (SQLite: the one node), with its lease.</summary>
    public async Task<RunRecord> CreateAsync(string threadId, string userId, string agent, string input, string nodeId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var run = New(threadId, userId, agent, input);
        run.NodeId = nodeId;
        run.LeaseExpiresAt = run.CreatedAt + (long)lease.TotalMilliseconds;
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await InsertAsync(connection, null, run, cancellationToken);
        return run;
    }

    /// <summary>A new queued run, not stored yet.</summary>
    public RunRecord New(string threadId, string userId, string agent, string input) => new()
    {
        Id = Ids.New("run"),
        ThreadId = threadId,
        UserId = userId,
        Agent = agent,
        Status = RunStatus.Queued,
        Input = input,
        CreatedAt = Now(),
    };

    /// <summary>Stores <paramref name="run"/> on the caller's connection and transaction.</summary>
    public static Task InsertAsync(DbConnection connection, DbTransaction? transaction, RunRecord run, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO runs (id, thread_id, user_id, agent, status, input, node_id, lease_expires_at, created_at) " +
            "VALUES (@Id, @ThreadId, @UserId, @Agent, @Status, @Input, @NodeId, @LeaseExpiresAt, @CreatedAt)",
            run, transaction, cancellationToken: cancellationToken));

    public async Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RunRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM runs WHERE id = @runId", new { runId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<RunRecord>> ListByThreadAsync(string threadId, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var runs = await connection.QueryAsync<RunRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM runs WHERE thread_id = @threadId ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset",
            new { threadId, limit, offset }, cancellationToken: cancellationToken));
        return runs.AsList();
    }

    public async Task<IReadOnlyList<RunRecord>> ActiveByUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var runs = await connection.QueryAsync<RunRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM runs WHERE user_id = @userId AND status IN ('queued', 'running') ORDER BY created_at, id",
            new { userId }, cancellationToken: cancellationToken));
        return runs.AsList();
    }

    /// <summary>Active runs held by <paramref name="nodeId"/>, or by any node when it is null.</summary>
    public async Task<IReadOnlyList<RunRecord>> ActiveOfNodeAsync(string? nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var runs = await connection.QueryAsync<RunRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM runs WHERE status IN ('queued', 'running') AND (@nodeId IS NULL OR node_id = @nodeId) ORDER BY created_at",
            new { nodeId }, cancellationToken: cancellationToken));
        return runs.AsList();
    }

    public async Task MarkRunningAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET status = 'running', started_at = @now WHERE id = @runId AND status = 'queued'",
            new { runId, now = Now() }, cancellationToken: cancellationToken));
    }

    /// <summary>Records the end of a run (only once: an ended run is never reopened).</summary>
    public async Task FinishAsync(string runId, string status, long lastSeq, string? errorCode, string? errorMessage, string? usage, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET status = @status, last_seq = @lastSeq, error_code = @errorCode, error_message = @errorMessage, usage = @usage, " +
            "ended_at = @now, lease_expires_at = NULL WHERE id = @runId AND status IN ('queued', 'running')",
            new { runId, status, lastSeq, errorCode, errorMessage, usage, now = Now() }, cancellationToken: cancellationToken));
    }

    /// <summary>Extends the leases of the given active runs of this node: only runs the node really holds, so a run
    /// whose executor is gone loses its lease and is ended by recovery.</summary>
    public async Task RenewLeasesAsync(string nodeId, IReadOnlyCollection<string> runIds, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return;
        }

        // Dapper expands a list into "IN (@ids1, …)" for SQLite but hands Npgsql an array, which needs "= ANY".
        var among = database.IsPostgres ? "id = ANY(@ids)" : "id IN @ids";
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        foreach (var chunk in runIds.Chunk(500))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE runs SET lease_expires_at = @until WHERE node_id = @nodeId AND status IN ('queued', 'running') AND {among}",
                new { nodeId, ids = chunk, until = Now() + (long)lease.TotalMilliseconds }, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Active runs whose owner stopped renewing their lease (its process died), oldest first. A run waiting in
    /// the cluster queue is held by no node (docs/runs.md#5-the-cluster-queue) and is never among them.</summary>
    public async Task<IReadOnlyList<RunRecord>> AbandonedAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var runs = await connection.QueryAsync<RunRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM runs WHERE status IN ('queued', 'running') AND node_id IS NOT NULL AND (lease_expires_at IS NULL OR lease_expires_at < @now) " +
            "ORDER BY created_at LIMIT @limit",
            new { now = Now(), limit }, cancellationToken: cancellationToken));
        return runs.AsList();
    }

    /// <summary>Takes over an abandoned run for this node; false when another node was quicker or it ended.</summary>
    public async Task<bool> ClaimAbandonedAsync(string runId, string nodeId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        var now = Now();
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET node_id = @nodeId, lease_expires_at = @until WHERE id = @runId AND status IN ('queued', 'running') " +
            "AND node_id IS NOT NULL AND (lease_expires_at IS NULL OR lease_expires_at < @now)",
            new { runId, nodeId, now, until = now + (long)lease.TotalMilliseconds }, cancellationToken: cancellationToken));
        return claimed == 1;
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
