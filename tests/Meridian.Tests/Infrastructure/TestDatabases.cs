using Meridian.Server.Storage;
using Npgsql;

namespace Meridian.Tests.Infrastructure;

/// <summary>A throw-away database for one test: a SQLite file in a temp folder, or a fresh database on the
/// PostgreSQL server named by <c>MERIDIAN_TEST_POSTGRES</c> (the test is skipped when that is unset).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "MERIDIAN_TEST_POSTGRES";

    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(StorageProvider provider, string dataDirectory, string? connectionString, string? admin, string? name)
    {
        Provider = provider;
        DataDirectory = dataDirectory;
        ConnectionString = connectionString;
        _adminConnectionString = admin;
        _databaseName = name;
    }

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.Postgres];

    public static string? PostgresAdmin => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    public StorageProvider Provider { get; }

    public string DataDirectory { get; }

    public string? ConnectionString { get; }

    /// <summary>Configuration keys that point a server at this database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Server:DataDirectory"] = DataDirectory,
        ["Storage:Provider"] = Provider.ToString().ToLowerInvariant(),
        ["Storage:ConnectionString"] = ConnectionString,
    };

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("meridian-test-").FullName;
        if (provider == StorageProvider.Sqlite)
        {
            return new TestDatabase(provider, dataDirectory, null, null, null);
        }

        var admin = PostgresAdmin;
        Assert.SkipWhen(admin is null, $"PostgreSQL tests run when {PostgresVariable} holds a connection string (.ci/run sets it).");
        var name = "meridian_t_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, dataDirectory, builder.ConnectionString, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing its files; the temp folder is cleaned by the OS.
        }
    }
}
