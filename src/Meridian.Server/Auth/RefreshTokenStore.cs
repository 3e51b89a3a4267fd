using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Auth;

/// <summary>Refresh tokens: opaque random values of which only the SHA-256 is stored. Each is single-use: using
/// one marks it used and issues the next in the same family; presenting a used one again means it was copied, so
/// the whole family (the session) is revoked, and its open sockets are told at once through
/// <see cref="RevocationSignal"/>.</summary>
internal sealed class RefreshTokenStore(Database database, TimeProvider clock, RevocationSignal signal)
{
    public async Task<string> CreateAsync(string userId, string familyId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenWriterAsync(ct);
        // Expired tokens of this user are dead weight; dropping them here keeps the table bounded without a sweeper.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM refresh_tokens WHERE user_id = @userId AND expires_at < @now;
            INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at)
            VALUES (@id, @userId, @familyId, @hash, @now, @expiresAt)
            """,
            new { id = Ids.New("rt"), userId, familyId, hash = Hash(token), now, expiresAt = expiresAt.ToUnixTimeMilliseconds() },
            cancellationToken: ct));
        return token;
    }

    /// <summary>Spends a refresh token. On success returns its user and family; a reuse revokes the family.</summary>
    public async Task<RefreshOutcome> SpendAsync(string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenWriterAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RefreshRow>(new CommandDefinition(
            """
            SELECT id AS Id, user_id AS UserId, family_id AS FamilyId, expires_at AS ExpiresAt, used_at AS UsedAt, revoked_at AS RevokedAt
            FROM refresh_tokens WHERE token_hash = @hash
            """, new { hash = Hash(token) }, cancellationToken: ct));
        if (row is null || row.RevokedAt is not null)
        {
            return RefreshOutcome.Invalid;
        }

        if (row.ExpiresAt <= now)
        {
            return RefreshOutcome.Expired;
        }

        // The conditional update is the single-use guarantee: of two concurrent spends only one changes the row.
        var spent = row.UsedAt is null && await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET used_at = @now WHERE id = @id AND used_at IS NULL AND revoked_at IS NULL",
            new { id = row.Id, now }, cancellationToken: ct)) == 1;
        if (!spent)
        {
            await RevokeFamilyAsync(connection, row.FamilyId, row.UserId, ct);
            return RefreshOutcome.Reused;
        }

        return new RefreshOutcome(RefreshStatus.Ok, row.UserId, row.FamilyId);
    }

    /// <summary>The family of a refresh token if it belongs to <paramref name="userId"/>.</summary>
    public async Task<string?> FamilyOfAsync(string token, string userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT family_id FROM refresh_tokens WHERE token_hash = @hash AND user_id = @userId",
            new { hash = Hash(token), userId }, cancellationToken: ct));
    }

    public async Task RevokeFamilyAsync(string familyId, string userId, CancellationToken ct)
    {
        await using var connection = await database.OpenWriterAsync(ct);
        await RevokeFamilyAsync(connection, familyId, userId, ct);
    }

    private async Task RevokeFamilyAsync(DbConnection connection, string familyId, string userId, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked_at = @now WHERE family_id = @familyId AND user_id = @userId AND revoked_at IS NULL",
            new { familyId, userId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
        signal.Publish(Revocation.Session(userId, familyId));
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed class RefreshRow
    {
        public string Id { get; set; } = "";

        public string UserId { get; set; } = "";

        public string FamilyId { get; set; } = "";

        public long ExpiresAt { get; set; }

        public long? UsedAt { get; set; }

        public long? RevokedAt { get; set; }
    }
}
