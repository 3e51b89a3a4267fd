using System.Data.Common;
using Dapper;
using Meridian.Server.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Meridian.Server.Workloads;

/// <summary>The usage records of each user (<c>workload_records</c>). Every read and write is scoped to one user id:
/// no method reaches another user's records.</summary>
public sealed class UsageStore(Database database)
{
    /// <summary>Selected in this order by both providers' readers.</summary>
    internal const string LoadSql =
        "SELECT timestamp, model, provider, input_tokens, output_tokens, latency_ms, cost_usd, " +
        "CASE WHEN status = 'error' THEN 1 ELSE 0 END, feature, prompt_hash, requests, cached_input_tokens " +
        "FROM workload_records WHERE user_id = @userId ORDER BY timestamp, id";

    internal const string InsertColumns =
        "user_id, timestamp, model, provider, input_tokens, output_tokens, latency_ms, cost_usd, status, feature, prompt_hash, " +
        "requests, cached_input_tokens";

    /// <summary>All of the user's records, oldest first. Streams the rows straight into records: model, provider and
    /// feature names are shared strings, so a million rows cost a million records and their prompt hashes.</summary>
    public async Task<IReadOnlyList<UsageRecord>> LoadAsync(string userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return connection switch
        {
            NpgsqlConnection postgres => await PostgresUsageRows.LoadAsync(postgres, userId, ct),
            _ => SqliteUsageRows.Load((SqliteConnection)connection, userId, ct),
        };
    }

    public async Task<long> CountAsync(string userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM workload_records WHERE user_id = @userId", new { userId }, cancellationToken: ct));
    }

    /// <summary>Stores <paramref name="records"/> for the user in one transaction (after removing the user's
    /// existing records when <paramref name="replace"/>): all are stored or, on any failure, none. Returns how many.</summary>
    public async Task<long> InsertAsync(string userId, IEnumerable<UsageRecord> records, bool replace, CancellationToken ct)
    {
        await using var connection = await database.OpenWriterAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (replace)
        {
            await DeleteAsync(connection, transaction, userId, ct);
        }

        var count = connection switch
        {
            NpgsqlConnection postgres => await PostgresUsageRows.InsertAsync(postgres, userId, records, ct),
            _ => SqliteUsageRows.Insert((SqliteConnection)connection, userId, records, ct),
        };
        await transaction.CommitAsync(ct);
        return count;
    }

    /// <summary>Removes all of the user's records; returns how many there were.</summary>
    public async Task<long> DeleteAsync(string userId, CancellationToken ct)
    {
        await using var connection = await database.OpenWriterAsync(ct);
        return await DeleteAsync(connection, null, userId, ct);
    }

    private static Task<int> DeleteAsync(DbConnection connection, DbTransaction? transaction, string userId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM workload_records WHERE user_id = @userId", new { userId }, transaction, cancellationToken: ct));

    /// <summary>The UTC day number of a record: <c>timestamp</c> (epoch milliseconds, a 64-bit integer on both
    /// databases, so <c>/</c> divides integers) floored to days. Both databases truncate toward zero, so a record before
    /// 1970 is moved back a day less one millisecond first.</summary>
    private const string DayNumber =
        "(CASE WHEN timestamp >= 0 THEN timestamp ELSE timestamp - 86399999 END) / 86400000";

    /// <summary>Each model's nearest-rank p50, p95 and p99 latency over its calls, in one pass: the records of each
    /// model are ordered by latency, each counting as its <c>requests</c> calls, and the p-th percentile is the first
    /// latency whose running count of calls reaches ceil(p·n). ceil(p·n) is computed in integers, (100p·n + 99) / 100,
    /// since SQLite has no CEIL without its optional math functions; for every n it equals latency_profile's
    /// Math.Ceiling(p * n) (docs/workloads.md). Window functions need SQLite 3.25+ (bundled: 3.4x).</summary>
    private const string PercentilesSql =
        "SELECT model AS Name, provider AS Provider, " +
        "MIN(CASE WHEN calls >= (50 * n + 99) / 100 THEN latency_ms END) AS P50, " +
        "MIN(CASE WHEN calls >= (95 * n + 99) / 100 THEN latency_ms END) AS P95, " +
        "MIN(CASE WHEN calls >= (99 * n + 99) / 100 THEN latency_ms END) AS P99 " +
        "FROM (SELECT model, provider, latency_ms, " +
        "CAST(SUM(requests) OVER (PARTITION BY model, provider ORDER BY latency_ms, id ROWS UNBOUNDED PRECEDING) AS BIGINT) AS calls, " +
        "CAST(SUM(requests) OVER (PARTITION BY model, provider) AS BIGINT) AS n " +
        "FROM workload_records WHERE user_id = @userId AND latency_ms IS NOT NULL) ranked " +
        "GROUP BY model, provider";

    /// <summary>Totals and breakdowns by model (with latency percentiles), by feature and by UTC day and model, each
    /// computed by the database in one query.</summary>
    public async Task<UsageSummary> SummarizeAsync(string userId, CancellationToken ct)
    {
        // A record stands for `requests` calls: errors and the mean latency are over calls (docs/workloads.md#21-summary);
        // the mean and the percentiles leave out records whose latency is unknown (docs/workloads.md#12-unknown-latency).
        const string Measures =
            "COUNT(*) AS Records, CAST(COALESCE(SUM(requests), 0) AS BIGINT) AS Requests, COALESCE(SUM(cost_usd), 0) AS CostUsd, " +
            "CAST(COALESCE(SUM(input_tokens), 0) AS BIGINT) AS InputTokens, " +
            "CAST(COALESCE(SUM(cached_input_tokens), 0) AS BIGINT) AS CachedInputTokens, " +
            "CAST(COALESCE(SUM(output_tokens), 0) AS BIGINT) AS OutputTokens, " +
            "CAST(COALESCE(SUM(CASE WHEN status = 'error' THEN requests ELSE 0 END), 0) AS BIGINT) AS Errors, " +
            "COALESCE(SUM(latency_ms * requests) / SUM(CASE WHEN latency_ms IS NOT NULL THEN requests END), 0.0) AS AvgLatencyMs";
        var args = new { userId };
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.QuerySingleAsync<SummaryRow>(new CommandDefinition(
            $"SELECT {Measures}, MIN(timestamp) AS FirstMs, MAX(timestamp) AS LastMs FROM workload_records WHERE user_id = @userId",
            args, cancellationToken: ct));
        var byModel = await connection.QueryAsync<SummaryRow>(new CommandDefinition(
            $"SELECT model AS Name, provider AS Provider, {Measures} FROM workload_records WHERE user_id = @userId " +
            "GROUP BY model, provider ORDER BY SUM(cost_usd) DESC, model", args, cancellationToken: ct));
        var percentiles = await connection.QueryAsync<LatencyRankRow>(new CommandDefinition(PercentilesSql, args, cancellationToken: ct));
        var byFeature = await connection.QueryAsync<SummaryRow>(new CommandDefinition(
            $"SELECT feature AS Name, {Measures} FROM workload_records WHERE user_id = @userId " +
            "GROUP BY feature ORDER BY SUM(cost_usd) DESC, feature", args, cancellationToken: ct));
        var byDay = await connection.QueryAsync<SummaryRow>(new CommandDefinition(
            $"SELECT {DayNumber} AS DayNumber, model AS Name, provider AS Provider, {Measures} FROM workload_records " +
            $"WHERE user_id = @userId GROUP BY {DayNumber}, model, provider", args, cancellationToken: ct));
        return UsageSummary.From(total, byModel.AsList(), percentiles.AsList(), byFeature.AsList(), byDay.AsList());
    }
}
