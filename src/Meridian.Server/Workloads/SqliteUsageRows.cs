using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using static SQLitePCL.raw;

namespace Meridian.Server.Workloads;

/// <summary>Bulk reads and writes of usage records on SQLite, through the connection's native handle: the ADO.NET
/// layer boxes every parameter and allocates a string per text column, which at a million rows is most of the cost.</summary>
internal static class SqliteUsageRows
{
    // 13 parameters a row; 50 rows a statement stays far below SQLite's parameter limit and amortises each step.
    private const int RowsPerStatement = 50;
    private const int Columns = 13;

    public static List<UsageRecord> Load(SqliteConnection connection, string userId, CancellationToken ct)
    {
        var db = connection.Handle!;
        using var statement = Prepare(db, UsageStore.LoadSql);
        Check(db, sqlite3_bind_text16(statement, 1, userId));
        var labels = new LabelTable();
        var records = new List<UsageRecord>();
        while (true)
        {
            var rc = sqlite3_step(statement);
            if (rc == SQLITE_DONE)
            {
                return records;
            }

            if (rc != SQLITE_ROW)
            {
                Check(db, rc);
            }

            records.Add(new UsageRecord(
                DateTimeOffset.FromUnixTimeMilliseconds(sqlite3_column_int64(statement, 0)),
                labels.Text(sqlite3_column_blob(statement, 1)),
                labels.Text(sqlite3_column_blob(statement, 2)),
                sqlite3_column_int64(statement, 3),
                sqlite3_column_int64(statement, 4),
                sqlite3_column_type(statement, 5) == SQLITE_NULL ? null : sqlite3_column_double(statement, 5),
                (decimal)sqlite3_column_double(statement, 6),
                sqlite3_column_int64(statement, 7) != 0,
                labels.Text(sqlite3_column_blob(statement, 8)),
                sqlite3_column_type(statement, 9) == SQLITE_NULL ? null : Encoding.UTF8.GetString(sqlite3_column_blob(statement, 9)),
                sqlite3_column_int64(statement, 10),
                sqlite3_column_int64(statement, 11)));
            if ((records.Count & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Inserts in the connection's current transaction; returns how many rows.</summary>
    public static long Insert(SqliteConnection connection, string userId, IEnumerable<UsageRecord> records, CancellationToken ct)
    {
        var db = connection.Handle!;
        var batch = new UsageRecord[RowsPerStatement];
        var count = 0;
        var total = 0L;
        using var full = Prepare(db, InsertSql(RowsPerStatement));
        foreach (var record in records)
        {
            batch[count++] = record;
            if (count == RowsPerStatement)
            {
                Execute(db, full, userId, batch, count);
                total += count;
                count = 0;
                ct.ThrowIfCancellationRequested();
            }
        }

        if (count > 0)
        {
            using var tail = Prepare(db, InsertSql(count));
            Execute(db, tail, userId, batch, count);
            total += count;
        }

        return total;
    }

    private static void Execute(sqlite3 db, sqlite3_stmt statement, string userId, UsageRecord[] batch, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var r = batch[i];
            var p = i * Columns;
            Check(db, sqlite3_bind_text16(statement, p + 1, userId));
            Check(db, sqlite3_bind_int64(statement, p + 2, r.Timestamp.ToUnixTimeMilliseconds()));
            Check(db, sqlite3_bind_text16(statement, p + 3, r.Model));
            Check(db, sqlite3_bind_text16(statement, p + 4, r.Provider));
            Check(db, sqlite3_bind_int64(statement, p + 5, r.InputTokens));
            Check(db, sqlite3_bind_int64(statement, p + 6, r.OutputTokens));
            Check(db, r.LatencyMs is { } latency ? sqlite3_bind_double(statement, p + 7, latency) : sqlite3_bind_null(statement, p + 7));
            Check(db, sqlite3_bind_double(statement, p + 8, (double)r.CostUsd));
            Check(db, sqlite3_bind_text(statement, p + 9, r.IsError ? "error"u8 : "ok"u8));
            Check(db, sqlite3_bind_text16(statement, p + 10, r.Feature));
            Check(db, r.PromptHash is null ? sqlite3_bind_null(statement, p + 11) : sqlite3_bind_text16(statement, p + 11, r.PromptHash));
            Check(db, sqlite3_bind_int64(statement, p + 12, r.Requests));
            Check(db, sqlite3_bind_int64(statement, p + 13, r.CachedInputTokens));
        }

        var rc = sqlite3_step(statement);
        sqlite3_reset(statement);
        if (rc != SQLITE_DONE)
        {
            Check(db, rc);
        }
    }

    private static string InsertSql(int rows) =>
        $"INSERT INTO workload_records ({UsageStore.InsertColumns}) VALUES " +
        string.Join(",", Enumerable.Repeat("(" + string.Join(",", Enumerable.Repeat("?", Columns)) + ")", rows));

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(db, sqlite3_prepare_v2(db, sql, out var statement));
        return statement;
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not (SQLITE_OK or SQLITE_ROW or SQLITE_DONE))
        {
            throw new SqliteException(sqlite3_errmsg(db).utf8_to_string(), rc, sqlite3_extended_errcode(db));
        }
    }
}
