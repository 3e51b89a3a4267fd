using Npgsql;
using NpgsqlTypes;

namespace Meridian.Server.Workloads;

/// <summary>Bulk reads and writes of usage records on PostgreSQL: binary COPY in, a plain reader out.</summary>
internal static class PostgresUsageRows
{
    public static async Task<List<UsageRecord>> LoadAsync(NpgsqlConnection connection, string userId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(UsageStore.LoadSql, connection);
        command.Parameters.AddWithValue("userId", userId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var labels = new LabelTable();
        var buffer = new byte[LabelTable.MaxLabelBytes + 1];
        var records = new List<UsageRecord>();
        while (await reader.ReadAsync(ct))
        {
            records.Add(new UsageRecord(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                Label(reader, 1),
                Label(reader, 2),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5),
                (decimal)reader.GetDouble(6),
                reader.GetInt32(7) != 0,
                Label(reader, 8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetInt64(10),
                reader.GetInt64(11)));
        }

        return records;

        // A text column read as its UTF-8 bytes into one buffer: repeated names cost no allocation.
        string Label(NpgsqlDataReader row, int ordinal)
        {
            var length = (int)row.GetBytes(ordinal, 0, buffer, 0, buffer.Length);
            return length < buffer.Length ? labels.Text(buffer.AsSpan(0, length)) : row.GetString(ordinal);
        }
    }

    /// <summary>Copies in the connection's current transaction; returns how many rows.</summary>
    public static async Task<long> InsertAsync(NpgsqlConnection connection, string userId, IEnumerable<UsageRecord> records, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY workload_records ({UsageStore.InsertColumns}) FROM STDIN (FORMAT BINARY)", ct);
        var count = 0L;
        foreach (var r in records)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(userId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.Timestamp.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.Model, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.Provider, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.InputTokens, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.OutputTokens, NpgsqlDbType.Bigint, ct);
            if (r.LatencyMs is { } latency)
            {
                await copy.WriteAsync(latency, NpgsqlDbType.Double, ct);
            }
            else
            {
                await copy.WriteNullAsync(ct);
            }

            await copy.WriteAsync((double)r.CostUsd, NpgsqlDbType.Double, ct);
            await copy.WriteAsync(r.IsError ? "error" : "ok", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.Feature, NpgsqlDbType.Text, ct);
            if (r.PromptHash is null)
            {
                await copy.WriteNullAsync(ct);
            }
            else
            {
                await copy.WriteAsync(r.PromptHash, NpgsqlDbType.Text, ct);
            }

            await copy.WriteAsync(r.Requests, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.CachedInputTokens, NpgsqlDbType.Bigint, ct);

            count++;
        }

        await copy.CompleteAsync(ct);
        return count;
    }
}
