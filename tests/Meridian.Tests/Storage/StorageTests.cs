using System.Data.Common;
using Dapper;
using Meridian.Server.Hosting;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Meridian.Tests.Storage;

/// <summary>The storage contract, run against SQLite and PostgreSQL alike.</summary>
public sealed class StorageTests
{
    private static readonly string[] Tables =
        ["users", "threads", "messages", "runs", "run_events", "workload_records", "refresh_tokens", "revoked_tokens", "schema_migrations"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Startup_applies_every_migration_once_and_creates_the_tables(StorageProvider provider)
    {
        await using var server = await ServerHarness.StartAsync(provider);
        var database = server.Service<Database>();
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);

        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        versions.ShouldBe(MigrationRunner.Load(provider).Select(m => m.Version).ToList());
        foreach (var table in Tables)
        {
            (await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}")).ShouldBeGreaterThanOrEqualTo(0, table);
        }

        (await server.Service<MigrationRunner>().ApplyAsync(TestContext.Current.CancellationToken)).ShouldBe(0, "a second run applies nothing");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_migration_runners_on_separate_connections_apply_each_migration_exactly_once(StorageProvider provider)
    {
        await using var testDatabase = await TestDatabase.CreateAsync(provider);
        var runners = Enumerable.Range(0, 4).Select(_ => NewDatabase(testDatabase)).ToList();

        var applied = await Task.WhenAll(runners.Select(db => Task.Run(() =>
            new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).ApplyAsync(TestContext.Current.CancellationToken))));

        applied.Sum().ShouldBe(MigrationRunner.Load(provider).Count);
        await using var connection = await runners[0].OpenAsync(TestContext.Current.CancellationToken);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(MigrationRunner.Load(provider).Count);
        foreach (var db in runners)
        {
            await db.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_events_are_unique_per_run_and_seq_and_read_back_in_order(StorageProvider provider)
    {
        await using var server = await ServerHarness.StartAsync(provider);
        await using var connection = await server.Service<Database>().OpenAsync(TestContext.Current.CancellationToken);
        var runId = await SeedRun(connection);

        for (var seq = 3; seq >= 1; seq--)
        {
            await connection.ExecuteAsync(
                "INSERT INTO run_events (run_id, seq, type, payload, created_at) VALUES (@runId, @seq, 'agent_thinking', @payload, @now)",
                new { runId, seq, payload = $"{{\"seq\":{seq}}}", now = Now() });
        }

        var duplicate = () => connection.ExecuteAsync(
            "INSERT INTO run_events (run_id, seq, type, payload, created_at) VALUES (@runId, 2, 'agent_thinking', '{}', @now)",
            new { runId, now = Now() });
        await Should.ThrowAsync<DbException>(duplicate);
        var seqs = await connection.QueryAsync<int>("SELECT seq FROM run_events WHERE run_id = @runId ORDER BY seq", new { runId });
        seqs.ShouldBe([1, 2, 3]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rows_round_trip_with_the_same_sql_on_both_providers(StorageProvider provider)
    {
        await using var server = await ServerHarness.StartAsync(provider);
        await using var connection = await server.Service<Database>().OpenAsync(TestContext.Current.CancellationToken);
        await SeedRun(connection);

        var user = await connection.QuerySingleAsync<UserRow>("SELECT id, email, disabled, created_at AS CreatedAt FROM users WHERE id = 'user_a'");
        await connection.ExecuteAsync("UPDATE users SET disabled = @disabled WHERE id = 'user_a'", new { disabled = true });
        var disabled = await connection.ExecuteScalarAsync<bool>("SELECT disabled FROM users WHERE id = 'user_a'");
        var inserted = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO workload_records (user_id, timestamp, model, input_tokens, output_tokens, latency_ms, cost_usd, status) " +
            "VALUES ('user_a', @now, 'gpt-4o', 1200, 300, 812.5, 0.0123, 'ok') RETURNING id",
            new { now = Now() });
        var conflict = await connection.ExecuteAsync(
            "INSERT INTO users (id, email, created_at) VALUES ('user_a', 'other@example.com', @now) ON CONFLICT (id) DO NOTHING", new { now = Now() });

        user.Email.ShouldBe("a@example.com");
        user.Disabled.ShouldBeFalse();
        user.CreatedAt.ShouldBeGreaterThan(1_700_000_000_000);
        disabled.ShouldBeTrue();
        inserted.ShouldBeGreaterThan(0);
        conflict.ShouldBe(0);
    }

    [Fact]
    public async Task Sqlite_database_uses_write_ahead_logging_in_the_data_directory()
    {
        await using var server = await ServerHarness.StartAsync();
        await using var connection = await server.Service<Database>().OpenAsync(TestContext.Current.CancellationToken);

        (await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode")).ShouldBe("wal");
        File.Exists(Path.Combine(server.Database.DataDirectory, "meridian.db")).ShouldBeTrue();
    }

    // Rows map to settable properties: Dapper then converts SQLite's integer booleans, which constructor mapping does not.
    private sealed class UserRow
    {
        public string Id { get; set; } = "";

        public string Email { get; set; } = "";

        public bool Disabled { get; set; }

        public long CreatedAt { get; set; }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static async Task<string> SeedRun(DbConnection connection)
    {
        await connection.ExecuteAsync("INSERT INTO users (id, email, created_at) VALUES ('user_a', 'a@example.com', @now)", new { now = Now() });
        await connection.ExecuteAsync("INSERT INTO threads (id, user_id, created_at, updated_at) VALUES ('thread_a', 'user_a', @now, @now)", new { now = Now() });
        await connection.ExecuteAsync(
            "INSERT INTO runs (id, thread_id, user_id, agent, status, created_at) VALUES ('run_a', 'thread_a', 'user_a', 'supervisor', 'queued', @now)",
            new { now = Now() });
        return "run_a";
    }

    private static Database NewDatabase(TestDatabase db) => new(
        Options.Create(new StorageOptions { Provider = db.Provider, ConnectionString = db.ConnectionString }),
        Options.Create(new ServerOptions { DataDirectory = db.DataDirectory }));
}
