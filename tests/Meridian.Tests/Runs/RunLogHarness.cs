using Dapper;
using Meridian.Server.Hosting;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Meridian.Tests.Runs;

/// <summary>A migrated database with the real event store and bus, and helpers to create runs in it.</summary>
public sealed class RunLogHarness : IAsyncDisposable
{
    private readonly TestDatabase _testDatabase;
    private int _runs;

    private RunLogHarness(TestDatabase testDatabase, Database database, TimeProvider clock)
    {
        _testDatabase = testDatabase;
        Database = database;
        Clock = clock;
        Store = new RunEventStore(database, clock);
        Sink = new RunEventWriter(Store, Bus, NullLogger<RunEventWriter>.Instance);
    }

    public Database Database { get; }

    public TimeProvider Clock { get; }

    public RunBus Bus { get; } = new();

    public RunEventStore Store { get; }

    public RunEventWriter Sink { get; }

    public static async Task<RunLogHarness> CreateAsync(StorageProvider provider, TimeProvider? clock = null)
    {
        var testDatabase = await TestDatabase.CreateAsync(provider);
        var database = new Database(
            Options.Create(new StorageOptions { Provider = provider, ConnectionString = testDatabase.ConnectionString }),
            Options.Create(new ServerOptions { DataDirectory = testDatabase.DataDirectory }));
        await new MigrationRunner(database, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO users (id, created_at) VALUES ('user_a', 0), ('user_b', 0)");
        await connection.ExecuteAsync("INSERT INTO threads (id, user_id, created_at, updated_at) VALUES ('thread_a', 'user_a', 0, 0), ('thread_b', 'user_b', 0, 0)");
        return new RunLogHarness(testDatabase, database, clock ?? TimeProvider.System);
    }

    public async Task<RunIdentity> NewRunAsync(string userId = "user_a")
    {
        var runId = $"run_{Interlocked.Increment(ref _runs)}_{Guid.NewGuid():N}";
        var threadId = userId == "user_a" ? "thread_a" : "thread_b";
        await using var connection = await Database.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO runs (id, thread_id, user_id, agent, status, created_at) VALUES (@runId, @threadId, @userId, 'supervisor', 'running', 0)",
            new { runId, threadId, userId });
        return new RunIdentity(runId, threadId, userId, Clock.GetTimestamp());
    }

    public async ValueTask DisposeAsync()
    {
        await Sink.DisposeAsync();
        await Database.DisposeAsync();
        await _testDatabase.DisposeAsync();
    }
}
