using System.Reflection;
using System.Text;
using Dapper;

namespace Meridian.Server.Storage;

/// <summary>Applies the provider's migrations in order, each in its own transaction together with its row in
/// <c>schema_migrations</c>. Safe to run twice and from several processes at once: PostgreSQL serialises on a
/// transaction-scoped advisory lock, SQLite on its write lock (<c>BEGIN IMMEDIATE</c>), and each migration is
/// re-checked under the lock before it is applied.</summary>
public sealed partial class MigrationRunner(Database database, ILogger<MigrationRunner> logger)
{
    // Any constant works; it only has to be the same in every Meridian process.
    private const long AdvisoryLockKey = 0x4D45_5249_4449_414E;

    public static IReadOnlyList<Migration> Load(StorageProvider provider)
    {
        var folder = provider == StorageProvider.Postgres ? ".postgres." : ".sqlite.";
        var assembly = typeof(MigrationRunner).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations" + folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Parse(n, assembly))
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>Applies what is missing; returns how many migrations this call applied.</summary>
    public async Task<int> ApplyAsync(CancellationToken cancellationToken = default)
    {
        var applied = 0;
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var migration in Load(database.Provider))
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            if (database.IsPostgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, tx);
            }

            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                transaction: tx);
            var checksum = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT checksum FROM schema_migrations WHERE version = @Version", new { migration.Version }, tx);
            if (checksum is null)
            {
                await connection.ExecuteAsync(migration.Sql, transaction: tx);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                    new { migration.Version, migration.Name, migration.Checksum, AppliedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                    tx);
                applied++;
                LogApplied(migration.Version, migration.Name, database.Description);
            }
            else if (checksum != migration.Checksum)
            {
                LogChanged(migration.Version, migration.Name);
            }

            await tx.CommitAsync(cancellationToken);
        }

        return applied;
    }

    private static Migration Parse(string resourceName, Assembly assembly)
    {
        // Resource names look like Meridian.Server.Storage.Migrations.sqlite.0001_initial.sql
        var file = resourceName[..^".sql".Length];
        file = file[(file.LastIndexOf('.') + 1)..];
        var underscore = file.IndexOf('_', StringComparison.Ordinal);
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return new Migration(int.Parse(file[..underscore]), file[(underscore + 1)..], reader.ReadToEnd());
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Applied migration {Version} {Name} to {Database}")]
    private partial void LogApplied(int version, string name, string database);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Migration {Version} {Name} differs from the one applied; shipped migrations must never be edited")]
    private partial void LogChanged(int version, string name);
}
