using Meridian.Server.Hosting;

namespace Meridian.Server.Storage;

/// <summary>Section <c>Storage</c>: which database holds threads, runs, events and users.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (embedded, single node) or <c>postgres</c> (production, several nodes).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>PostgreSQL: an Npgsql connection string (required). SQLite: optional; defaults to
    /// <see cref="SqliteFile"/> inside the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite database file name inside <see cref="ServerOptions.DataDirectory"/>.</summary>
    public string SqliteFile { get; set; } = "meridian.db";

    /// <summary>Seconds a readiness probe waits for the database before reporting it unhealthy.</summary>
    public int ReadinessTimeoutSeconds { get; set; } = 2;
}
