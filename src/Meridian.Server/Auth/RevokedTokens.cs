using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Auth;

/// <summary>Access tokens revoked before they expire (by <c>jti</c>). A row is needed only until the token's own
/// expiry, so expired rows are dropped whenever a new one is written. Open sockets of a revoked token are told at
/// once through <see cref="RevocationSignal"/>.</summary>
internal sealed class RevokedTokens(Database database, TimeProvider clock, RevocationSignal signal)
{
    // Validation allows 30 s of clock skew past exp; the row must outlive that.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public async Task RevokeAsync(string userId, string jti, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await using (var connection = await database.OpenWriterAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM revoked_tokens WHERE expires_at < @now;
                INSERT INTO revoked_tokens (jti, expires_at) VALUES (@jti, @expiresAt) ON CONFLICT DO NOTHING
                """,
                new { jti, expiresAt = (expiresAt + Margin).ToUnixTimeMilliseconds(), now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken: ct));
        }

        signal.Publish(Revocation.Token(userId, jti));
    }
}
