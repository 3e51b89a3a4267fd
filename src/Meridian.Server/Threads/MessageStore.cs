using System.Data.Common;
using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Threads;

/// <summary>The messages of a thread: the user's and the assistant's final answers, each with its run.</summary>
public sealed class MessageStore(Database database, TimeProvider clock)
{
    public async Task<MessageRecord> AddAsync(
        string threadId, string userId, string role, string content, string? runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        return await AddAsync(connection, null, threadId, userId, role, content, runId, cancellationToken);
    }

    /// <summary>Adds a message on the caller's connection and transaction: a user's message is stored in the same
    /// transaction as the run it starts, so no node can execute the run before its message is there.</summary>
    public async Task<MessageRecord> AddAsync(
        DbConnection connection, DbTransaction? transaction, string threadId, string userId, string role, string content, string? runId, CancellationToken cancellationToken)
    {
        var message = new MessageRecord
        {
            Id = Ids.New("msg"),
            ThreadId = threadId,
            Role = role,
            Content = content,
            RunId = runId,
            CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO messages (id, thread_id, user_id, role, content, run_id, created_at) VALUES (@Id, @ThreadId, @userId, @Role, @Content, @RunId, @CreatedAt)",
            new { message.Id, message.ThreadId, userId, message.Role, message.Content, message.RunId, message.CreatedAt },
            transaction, cancellationToken: cancellationToken));
        return message;
    }

    /// <summary>Oldest first, so a page reads as a conversation.</summary>
    public async Task<(IReadOnlyList<MessageRecord> Messages, long Total)> ListAsync(
        string threadId, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var messages = await connection.QueryAsync<MessageRecord>(new CommandDefinition(
            "SELECT id, thread_id AS ThreadId, role, content, run_id AS RunId, created_at AS CreatedAt FROM messages " +
            "WHERE thread_id = @threadId ORDER BY created_at, id LIMIT @limit OFFSET @offset",
            new { threadId, limit, offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM messages WHERE thread_id = @threadId", new { threadId }, cancellationToken: cancellationToken));
        return (messages.AsList(), total);
    }

    /// <summary>The last <paramref name="limit"/> messages, oldest first (the conversation's recent history).</summary>
    public async Task<IReadOnlyList<MessageRecord>> RecentAsync(string threadId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var newestFirst = await connection.QueryAsync<MessageRecord>(new CommandDefinition(
            "SELECT id, thread_id AS ThreadId, role, content, run_id AS RunId, created_at AS CreatedAt FROM messages " +
            "WHERE thread_id = @threadId ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { threadId, limit }, cancellationToken: cancellationToken));
        return newestFirst.Reverse().ToList();
    }
}
