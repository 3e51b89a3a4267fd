using System.Data.Common;
using Meridian.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Meridian.Server.Storage;

/// <summary>Opens connections to the configured database. All data access goes through Dapper over these
/// connections with SQL that both providers understand (named <c>@parameters</c>, <c>ON CONFLICT</c>,
/// <c>RETURNING</c>); the few differences are handled where they occur via <see cref="Provider"/>.</summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;

    static Database() => SQLitePCL.Batteries_V2.Init();

    public Database(IOptions<StorageOptions> storage, IOptions<ServerOptions> server)
    {
        var options = storage.Value;
        Provider = options.Provider;
        if (Provider == StorageProvider.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            _postgres = NpgsqlDataSource.Create(builder);
            Description = $"postgres ({builder.Host}:{builder.Port}/{builder.Database})";
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
            {
                ForeignKeys = true,
                Pooling = true,
                DefaultTimeout = 30,
            };
            if (string.IsNullOrEmpty(builder.DataSource))
            {
                builder.DataSource = Path.Combine(server.Value.ResolveDataDirectory(), options.SqliteFile);
            }

            _sqlite = builder.ToString();
            SqlitePath = builder.DataSource;
            Description = $"sqlite ({SqlitePath})";
        }
    }

    public StorageProvider Provider { get; }

    public bool IsPostgres => Provider == StorageProvider.Postgres;

    /// <summary>Where the database is, without credentials: for logs and health answers.</summary>
    public string Description { get; }

    internal string? SqlitePath { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        // WAL lets readers proceed while a writer commits (the mode is stored in the file); NORMAL syncs at
        // checkpoints rather than every commit, which keeps commits durable across a process crash.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
