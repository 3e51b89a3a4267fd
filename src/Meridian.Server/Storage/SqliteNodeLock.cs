namespace Meridian.Server.Storage;

/// <summary>SQLite serves one node: the first process to start on a database file holds an exclusive lock on
/// <c>&lt;file&gt;.lock</c> beside it for its whole life, and a second process on the same file is refused at start with
/// a message saying why (docs/deploy.md#1-one-node-or-several). The operating system drops the lock when the
/// process ends, however it ends, so a killed node never leaves a stale lock behind.</summary>
internal sealed class SqliteNodeLock(Database database) : IHostedService, IDisposable
{
    private FileStream? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.SqlitePath is not { } path || path == ":memory:")
        {
            return Task.CompletedTask;
        }

        var lockPath = Path.GetFullPath(path) + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex)
        {
            throw new StorageLockedException(
                $"Another Meridian process already uses the SQLite database {Path.GetFullPath(path)} (it holds {lockPath}). " +
                "SQLite serves a single node; run several nodes on PostgreSQL (Storage:Provider=postgres, see docs/deploy.md).", ex);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();
}
