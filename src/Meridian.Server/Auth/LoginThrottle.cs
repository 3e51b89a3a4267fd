using Dapper;
using Meridian.Server.Storage;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

/// <summary>Counts failed logins per submitted email and per client address in <c>login_throttle</c> (shared by all
/// nodes on one database). Failed answers are delayed once a key passes <see cref="LockoutOptions.SlowdownAfterFailures"/>;
/// at its maximum a key is locked and answered 429 until the lock ends. Unknown emails are counted exactly like
/// known ones, so the answers never tell whether an account exists.</summary>
internal sealed class LoginThrottle(Database database, IOptions<AuthOptions> options, TimeProvider clock)
{
    private LockoutOptions Lockout => options.Value.Lockout;

    /// <summary>How long the email or the address is still locked, or null when neither is.</summary>
    public async Task<TimeSpan?> LockedForAsync(string email, string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        var until = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT MAX(locked_until) FROM login_throttle WHERE throttle_key IN (@account, @address) AND locked_until > @now",
            new { account = AccountKey(email), address = AddressKey(address), now }, cancellationToken: ct));
        return until is { } ms ? TimeSpan.FromMilliseconds(ms - now) : null;
    }

    /// <summary>Records a failure for both keys and returns how long to hold the failed answer back.</summary>
    public async Task<TimeSpan> RecordFailureAsync(string email, string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenWriterAsync(ct);
        // Rows whose window and lock have both passed say nothing any more; dropping them here bounds the table.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_throttle WHERE window_started_at < @windowStart AND (locked_until IS NULL OR locked_until < @now)",
            new { windowStart = WindowStart(now), now = now.ToUnixTimeMilliseconds() }, cancellationToken: ct));
        var account = await CountAsync(connection, AccountKey(email), Lockout.MaxFailuresPerAccount, now, ct);
        var byAddress = await CountAsync(connection, AddressKey(address), Lockout.MaxFailuresPerAddress, now, ct);
        var excess = Math.Max(account, byAddress) - Lockout.SlowdownAfterFailures;
        return excess <= 0
            ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(Math.Min((long)Lockout.SlowdownStepMilliseconds * excess, Lockout.MaxSlowdownMilliseconds));
    }

    /// <summary>A successful login clears its email's count (not the address's: one good account must not
    /// launder an address that is guessing at others).</summary>
    public async Task ResetAsync(string email, CancellationToken ct)
    {
        await using var connection = await database.OpenWriterAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_throttle WHERE throttle_key = @key", new { key = AccountKey(email) }, cancellationToken: ct));
    }

    /// <summary>Adds one failure in the current window (or starts a new window) and locks the key when the count
    /// reaches <paramref name="max"/>; atomic, so concurrent failures on several nodes are all counted.</summary>
    private async Task<int> CountAsync(System.Data.Common.DbConnection connection, string key, int max, DateTimeOffset now, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            INSERT INTO login_throttle (throttle_key, failures, window_started_at, locked_until)
            VALUES (@key, 1, @now, CASE WHEN 1 >= @max THEN @lockUntil ELSE NULL END)
            ON CONFLICT (throttle_key) DO UPDATE SET
                failures = CASE WHEN login_throttle.window_started_at >= @windowStart THEN login_throttle.failures + 1 ELSE 1 END,
                window_started_at = CASE WHEN login_throttle.window_started_at >= @windowStart THEN login_throttle.window_started_at ELSE @now END,
                locked_until = CASE
                    WHEN (CASE WHEN login_throttle.window_started_at >= @windowStart THEN login_throttle.failures + 1 ELSE 1 END) >= @max
                    THEN @lockUntil ELSE login_throttle.locked_until END
            RETURNING failures
            """,
            new
            {
                key,
                max,
                now = now.ToUnixTimeMilliseconds(),
                windowStart = WindowStart(now),
                lockUntil = (now + TimeSpan.FromSeconds(Lockout.LockoutSeconds)).ToUnixTimeMilliseconds(),
            },
            cancellationToken: ct));

    private long WindowStart(DateTimeOffset now) => (now - TimeSpan.FromSeconds(Lockout.WindowSeconds)).ToUnixTimeMilliseconds();

    private static string AccountKey(string email) => "email:" + email;

    private static string AddressKey(string address) => "addr:" + address;
}
