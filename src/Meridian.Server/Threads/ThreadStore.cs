using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Threads;

/// <summary>Threads are per user. Reads by id return the owner so callers can refuse other users' threads.</summary>
public sealed class ThreadStore(Database database, TimeProvider clock)
{
    private const string Columns = "id, user_id AS UserId, title, archived, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task<ThreadRecord?> GetAsync(string threadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ThreadRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM threads WHERE id = @threadId", new { threadId }, cancellationToken: cancellationToken));
    }

    /// <summary>Creates a thread for the user; with <paramref name="threadId"/> given, under that id unless it
    /// exists already. Returns the stored thread, which may belong to someone else when the id was taken.</summary>
    public async Task<ThreadRecord> CreateAsync(string userId, string? threadId, string title, CancellationToken cancellationToken)
    {
        var now = Now();
        var id = threadId ?? Ids.New("thread");
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO threads (id, user_id, title, archived, created_at, updated_at) VALUES (@id, @userId, @title, @archived, @now, @now) ON CONFLICT (id) DO NOTHING",
            new { id, userId, title, archived = false, now }, cancellationToken: cancellationToken));
        return (await connection.QuerySingleAsync<ThreadRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM threads WHERE id = @id", new { id }, cancellationToken: cancellationToken)));
    }

    /// <summary>The user's most recently updated thread that is not archived.</summary>
    public async Task<ThreadRecord?> MostRecentActiveAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<ThreadRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM threads WHERE user_id = @userId AND archived = @archived ORDER BY updated_at DESC, id DESC LIMIT 1",
            new { userId, archived = false }, cancellationToken: cancellationToken));
    }

    /// <summary>Newest first.</summary>
    public async Task<(IReadOnlyList<ThreadRecord> Threads, long Total)> ListAsync(
        string userId, bool includeArchived, int limit, int offset, CancellationToken cancellationToken)
    {
        const string Filter = "user_id = @userId AND (@includeArchived OR archived = @archived)";
        var args = new { userId, includeArchived, archived = false, limit, offset };
        await using var connection = await database.OpenAsync(cancellationToken);
        var threads = await connection.QueryAsync<ThreadRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM threads WHERE {Filter} ORDER BY updated_at DESC, id DESC LIMIT @limit OFFSET @offset",
            args, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM threads WHERE {Filter}", args, cancellationToken: cancellationToken));
        return (threads.AsList(), total);
    }

    public Task RenameAsync(string threadId, string title, CancellationToken cancellationToken) =>
        UpdateAsync("title = @title", new { threadId, title, now = Now() }, cancellationToken);

    public Task ArchiveAsync(string threadId, CancellationToken cancellationToken) =>
        UpdateAsync("archived = @archived", new { threadId, archived = true, now = Now() }, cancellationToken);

    /// <summary>Marks activity, so the thread sorts first; gives an untitled thread its first message as title.</summary>
    public Task TouchAsync(string threadId, string titleIfUntitled, CancellationToken cancellationToken) =>
        UpdateAsync("title = CASE WHEN title = '' THEN @title ELSE title END", new { threadId, title = titleIfUntitled, now = Now() }, cancellationToken);

    private long _lastStamp;

    /// <summary>Activity stamps strictly increase within this process, so "most recently active" has one answer
    /// even when two threads are touched in the same millisecond.</summary>
    private long Now()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Interlocked.Read(ref _lastStamp);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastStamp, next, last) == last)
            {
                return next;
            }
        }
    }

    private async Task UpdateAsync(string set, object args, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE threads SET {set}, updated_at = @now WHERE id = @threadId", args, cancellationToken: cancellationToken));
    }
}
