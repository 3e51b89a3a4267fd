using System.Text.Json;
using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Auth;

/// <summary>Which of many users, tokens and sessions are cut off now, in one query whatever their number: the
/// periodic check of open sockets (docs/auth.md#11-revocation-and-open-sockets). The identities travel as three JSON
/// arrays, so the query has three parameters however many sockets are open.</summary>
internal sealed class RevocationLookup(Database database)
{
    public async Task<RevokedSet> FindAsync(IReadOnlyCollection<AuthenticatedUser> users, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Kind, string Value)>(new CommandDefinition(
            $"""
            SELECT 'user' AS Kind, id AS Value FROM users WHERE disabled AND id IN ({Elements("@users")})
            UNION ALL
            SELECT 'token', jti FROM revoked_tokens WHERE jti IN ({Elements("@tokens")})
            UNION ALL
            SELECT DISTINCT 'session', family_id FROM refresh_tokens WHERE revoked_at IS NOT NULL AND family_id IN ({Elements("@sessions")})
            """,
            new
            {
                users = Array(users.Select(u => u.UserId)),
                tokens = Array(users.Select(u => u.TokenId)),
                sessions = Array(users.Select(u => u.SessionId)),
            },
            cancellationToken: ct));

        var disabled = new HashSet<string>(StringComparer.Ordinal);
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        var sessions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (kind, value) in rows)
        {
            (kind switch { "user" => disabled, "token" => tokens, _ => sessions }).Add(value);
        }

        return new RevokedSet(disabled, tokens, sessions);
    }

    /// <summary>The text values of a JSON array parameter, as rows.</summary>
    private string Elements(string parameter) => database.IsPostgres
        ? $"SELECT jsonb_array_elements_text(CAST({parameter} AS jsonb))"
        : $"SELECT value FROM json_each({parameter})";

    private static string Array(IEnumerable<string?> values) =>
        JsonSerializer.Serialize(values.OfType<string>().Distinct(StringComparer.Ordinal));
}
