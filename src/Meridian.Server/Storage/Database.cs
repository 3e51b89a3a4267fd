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
    private static readonly TimeSpan WriteTurnTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _writeTurn = new(1, 1);
    private volatile bool _walEnabled;
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

    /// <summary>A connection for reads (and, on PostgreSQL, writes).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        return await OpenSqliteAsync(new SqliteConnection(_sqlite), cancellationToken);
    }

    /// <summary>Opens <paramref name="connection"/> with this database's settings; a connection that fails to open
    /// is disposed (a writer's gives its turn back).</summary>
    private async Task<DbConnection> OpenSqliteAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ApplyPragmasAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task ApplyPragmasAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var pragmas = connection.CreateCommand();
        if (!_walEnabled)
        {
            // WAL lets readers proceed while a writer commits. The mode is stored in the file, so it is set once:
            // switching modes takes locks, and doing it on every connection would make writers wait on readers.
            pragmas.CommandText = "PRAGMA journal_mode=WAL;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            _walEnabled = true;
        }

        // Per connection: sync at checkpoints rather than every commit, which keeps commits durable across a
        // crash of the process.
        pragmas.CommandText = "PRAGMA synchronous=NORMAL;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A connection for writes. SQLite admits one writer at a time, and when two meet its .NET driver
    /// retries in 150 ms sleeps; so this process's SQLite writers take turns here instead, and hold the turn until
    /// the connection is disposed. Never open a writer while holding one. On PostgreSQL this is a plain connection.</summary>
    public async Task<DbConnection> OpenWriterAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        if (!await _writeTurn.WaitAsync(WriteTurnTimeout, cancellationToken))
        {
            throw new TimeoutException($"No SQLite write turn within {WriteTurnTimeout.TotalSeconds} s.");
        }

        // From here the connection owns the turn: disposing it, on any path, gives the turn back once.
        return await OpenSqliteAsync(new WriterConnection(_sqlite!, _writeTurn), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _writeTurn.Dispose();
    }

    /// <summary>A SQLite connection that gives the write turn back when it is disposed.</summary>
    private sealed class WriterConnection(string connectionString, SemaphoreSlim turn) : SqliteConnection(connectionString)
    {
        private int _released;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
