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
        "CASE WHEN status = 'error' THEN 1 ELSE 0 END, feature, prompt_hash " +
        "FROM workload_records WHERE user_id = @userId ORDER BY timestamp, id";

    internal const string InsertColumns =
        "user_id, timestamp, model, provider, input_tokens, output_tokens, latency_ms, cost_usd, status, feature, prompt_hash";

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

    /// <summary>Totals and breakdowns by model and by feature, computed by the database.</summary>
    public async Task<UsageSummary> SummarizeAsync(string userId, CancellationToken ct)
    {
        const string Measures =
            "COUNT(*) AS Records, COALESCE(SUM(cost_usd), 0) AS CostUsd, CAST(COALESCE(SUM(input_tokens), 0) AS BIGINT) AS InputTokens, " +
            "CAST(COALESCE(SUM(output_tokens), 0) AS BIGINT) AS OutputTokens, " +
            "CAST(COALESCE(SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END), 0) AS BIGINT) AS Errors, " +
            "COALESCE(AVG(latency_ms), 0) AS AvgLatencyMs";
        var args = new { userId };
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.QuerySingleAsync<SummaryRow>(new CommandDefinition(
            $"SELECT {Measures}, MIN(timestamp) AS FirstMs, MAX(timestamp) AS LastMs FROM workload_records WHERE user_id = @userId",
            args, cancellationToken: ct));
        var byModel = await connection.QueryAsync<SummaryRow>(new CommandDefinition(
            $"SELECT model AS Name, provider AS Provider, {Measures} FROM workload_records WHERE user_id = @userId " +
            "GROUP BY model, provider ORDER BY SUM(cost_usd) DESC, model", args, cancellationToken: ct));
        var byFeature = await connection.QueryAsync<SummaryRow>(new CommandDefinition(
            $"SELECT feature AS Name, {Measures} FROM workload_records WHERE user_id = @userId " +
            "GROUP BY feature ORDER BY SUM(cost_usd) DESC, feature", args, cancellationToken: ct));
        return UsageSummary.From(total, byModel.AsList(), byFeature.AsList());
    }
}
