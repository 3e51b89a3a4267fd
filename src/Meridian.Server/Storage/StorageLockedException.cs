namespace Meridian.Server.Storage;

/// <summary>The SQLite database is in use by another node (<see cref="SqliteNodeLock"/>): the process exits with code 1.</summary>
public sealed class StorageLockedException(string message, Exception inner) : InvalidOperationException(message, inner);
