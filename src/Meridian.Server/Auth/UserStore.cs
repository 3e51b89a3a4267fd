using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Auth;

/// <summary>Reads and writes <c>users</c>. Emails are stored normalised (trimmed, lower case).</summary>
internal sealed class UserStore(Database database, TimeProvider clock, RevocationSignal signal)
{
    public async Task<UserRecord?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            $"SELECT {UserRecord.Columns} FROM users WHERE email = @email", new { email }, cancellationToken: ct));
    }

    public async Task<UserRecord?> FindByIdAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            $"SELECT {UserRecord.Columns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>Inserts a user; returns null when the email (or id) is already taken.</summary>
    public async Task<UserRecord?> CreateAsync(
        string? id, string? email, string name, string? passwordHash, IEnumerable<string> permissions, CancellationToken ct)
    {
        var user = new UserRecord
        {
            Id = id ?? Ids.New("user"),
            Email = email,
            Name = name,
            PasswordHash = passwordHash,
            Permissions = UserRecord.SerializePermissions(permissions),
            CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await using var connection = await database.OpenWriterAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, email, name, password_hash, permissions, created_at)
            VALUES (@Id, @Email, @Name, @PasswordHash, @Permissions, @CreatedAt)
            ON CONFLICT DO NOTHING
            """, user, cancellationToken: ct));
        return inserted == 1 ? user : null;
    }

    /// <summary>The user a token names, with the token's revocation state, or null when the subject is unknown.</summary>
    public async Task<TokenUserState?> FindForTokenAsync(string sub, string? jti, string? sid, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TokenUserState>(new CommandDefinition(
            """
            SELECT u.id AS Id, u.email AS Email, u.name AS Name, u.permissions AS Permissions, u.disabled AS Disabled,
                   EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = @jti) AS Revoked,
                   EXISTS (SELECT 1 FROM refresh_tokens f WHERE f.family_id = @sid AND f.revoked_at IS NOT NULL) AS SessionRevoked
            FROM users u WHERE u.id = @sub
            """, new { sub, jti, sid }, cancellationToken: ct));
    }

    /// <summary>Creates the user a foreign token names. Its email is dropped when another user already has it:
    /// the subject, not the email, is the identity, so a token cannot take over an existing account by email.</summary>
    public async Task ProvisionAsync(string sub, string? email, string name, IEnumerable<string> permissions, CancellationToken ct)
    {
        var list = permissions.ToList();
        if (await CreateAsync(sub, email, name, null, list, ct) is null && email is not null)
        {
            await CreateAsync(sub, null, name, null, list, ct);
        }
    }

    public async Task UpdateProfileAsync(string id, string name, IEnumerable<string> permissions, CancellationToken ct)
    {
        await using var connection = await database.OpenWriterAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET name = @name, permissions = @permissions WHERE id = @id",
            new { id, name, permissions = UserRecord.SerializePermissions(permissions) }, cancellationToken: ct));
    }

    /// <summary>Disables or re-enables an account. Disabling refuses its tokens everywhere and closes its open
    /// sockets at once (docs/auth.md#11-revocation-and-open-sockets).</summary>
    public async Task SetDisabledAsync(string id, bool disabled, CancellationToken ct)
    {
        await using (var connection = await database.OpenWriterAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET disabled = @disabled WHERE id = @id", new { id, disabled }, cancellationToken: ct));
        }

        if (disabled)
        {
            signal.Publish(Revocation.Account(id));
        }
    }

    public async Task SetPasswordHashAsync(string id, string passwordHash, CancellationToken ct)
    {
        await using var connection = await database.OpenWriterAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @passwordHash WHERE id = @id", new { id, passwordHash }, cancellationToken: ct));
    }

    public async Task TouchAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenWriterAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET last_seen_at = @now WHERE id = @id",
            new { id, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
    }
}
