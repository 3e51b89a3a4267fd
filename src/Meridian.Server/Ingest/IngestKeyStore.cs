using Dapper;
using Meridian.Server.Http;
using Meridian.Server.Storage;

namespace Meridian.Server.Ingest;

/// <summary>The users' ingest keys (<c>ingest_keys</c>) and what each delivered (<c>ingest_batches</c>). Lookups by
/// key read the database every time, so a key revoked on any node stops working at once on all of them.</summary>
public sealed class IngestKeyStore(Database database, TimeProvider clock)
{
    private static readonly TimeSpan KeepBatches = TimeSpan.FromDays(1);

    public async Task<CreatedIngestKey?> CreateAsync(string userId, string name, int maxKeys, CancellationToken ct)
    {
        var key = IngestKeySecret.New();
        var created = new CreatedIngestKey(Ids.New("ik"), name, IngestKeySecret.Prefix(key), key, Now());
        await using var connection = await database.OpenWriterAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (database.IsPostgres)
        {
            // SQLite has one writer at a time; on PostgreSQL two requests of one user could both count below the limit.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext(@userId))", new { userId }, transaction, cancellationToken: ct));
        }

        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ingest_keys (id, user_id, name, prefix, secret_hash, created_at) " +
            "SELECT @Id, @userId, @Name, @Prefix, @hash, @at " +
            "WHERE (SELECT COUNT(*) FROM ingest_keys WHERE user_id = @userId AND revoked_at IS NULL) < @maxKeys",
            new { created.Id, userId, created.Name, created.Prefix, hash = IngestKeySecret.Hash(key), at = created.CreatedAt.ToUnixTimeMilliseconds(), maxKeys },
            transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return inserted == 1 ? created : null;
    }

    /// <summary>The user's keys, newest first, revoked ones included (with when).</summary>
    public async Task<IReadOnlyList<IngestKeyView>> ListAsync(string userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, prefix AS Prefix, created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt " +
            "FROM ingest_keys WHERE user_id = @userId ORDER BY created_at DESC, id DESC", new { userId }, cancellationToken: ct));
        return [.. rows.Select(r => new IngestKeyView(r.Id, r.Name, r.Prefix, Time.FromMs(r.CreatedAt), Time.FromMs(r.LastUsedAt), Time.FromMs(r.RevokedAt)))];
    }

    /// <summary>Revokes one of the user's keys; false when the user has no such key (or it is another user's).
    /// Revoking a revoked key changes nothing and succeeds.</summary>
    public async Task<bool> RevokeAsync(string userId, string keyId, CancellationToken ct)
    {
        await using var connection = await database.OpenWriterAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ingest_keys SET revoked_at = COALESCE(revoked_at, @at) WHERE id = @keyId AND user_id = @userId",
            new { keyId, userId, at = Now().ToUnixTimeMilliseconds() }, cancellationToken: ct)) == 1;
    }

    /// <summary>The owner of a key that is valid now: not revoked, its user not disabled.</summary>
    public async Task<IngestKeyOwner?> FindAsync(string key, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<IngestKeyOwner>(new CommandDefinition(
            "SELECT k.id AS KeyId, k.user_id AS UserId FROM ingest_keys k JOIN users u ON u.id = k.user_id " +
            "WHERE k.secret_hash = @hash AND k.revoked_at IS NULL AND u.disabled = " + (database.IsPostgres ? "FALSE" : "0"),
            new { hash = IngestKeySecret.Hash(key) }, cancellationToken: ct));
    }

    /// <summary>Notes an export a key delivered, and forgets the user's exports older than a day.</summary>
    public async Task RecordAsync(IngestKeyOwner owner, long accepted, long rejected, long ignored, CancellationToken ct)
    {
        var now = Now().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenWriterAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var args = new { owner.KeyId, owner.UserId, now, accepted, rejected, ignored, old = now - (long)KeepBatches.TotalMilliseconds };
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ingest_batches (key_id, user_id, received_at, accepted, rejected, ignored) VALUES (@KeyId, @UserId, @now, @accepted, @rejected, @ignored);" +
            "UPDATE ingest_keys SET last_used_at = @now WHERE id = @KeyId;" +
            "DELETE FROM ingest_batches WHERE user_id = @UserId AND received_at < @old",
            args, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>What each of the user's keys delivered since <paramref name="since"/>; keys that delivered nothing are listed with zeros.</summary>
    public async Task<IReadOnlyList<IngestKeyActivity>> ActivityAsync(string userId, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ActivityRow>(new CommandDefinition(
            "SELECT k.id AS KeyId, k.name AS Name, k.prefix AS Prefix, COUNT(b.id) AS Exports, " +
            "CAST(COALESCE(SUM(b.accepted), 0) AS BIGINT) AS Accepted, CAST(COALESCE(SUM(b.rejected), 0) AS BIGINT) AS Rejected, " +
            "CAST(COALESCE(SUM(b.ignored), 0) AS BIGINT) AS Ignored, MAX(b.received_at) AS LastAt " +
            "FROM ingest_keys k LEFT JOIN ingest_batches b ON b.key_id = k.id AND b.user_id = k.user_id AND b.received_at >= @since " +
            "WHERE k.user_id = @userId GROUP BY k.id, k.name, k.prefix, k.created_at ORDER BY k.created_at DESC, k.id DESC",
            new { userId, since = since.ToUnixTimeMilliseconds() }, cancellationToken: ct));
        return [.. rows.Select(r => new IngestKeyActivity(r.KeyId, r.Name, r.Prefix, r.Exports, r.Accepted, r.Rejected, r.Ignored, Time.FromMs(r.LastAt)))];
    }

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());

    private sealed record KeyRow(string Id, string Name, string Prefix, long CreatedAt, long? LastUsedAt, long? RevokedAt);

    /// <summary>Settable properties rather than a constructor: SQLite gives <c>MAX</c> over no rows no type, which a
    /// constructor match refuses and a property assignment takes as null.</summary>
    private sealed class ActivityRow
    {
        public string KeyId { get; set; } = "";

        public string Name { get; set; } = "";

        public string Prefix { get; set; } = "";

        public long Exports { get; set; }

        public long Accepted { get; set; }

        public long Rejected { get; set; }

        public long Ignored { get; set; }

        public long? LastAt { get; set; }
    }
}
