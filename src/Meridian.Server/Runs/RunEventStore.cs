using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Runs;

/// <summary>The durable log of run events. <c>(run_id, seq)</c> is the primary key, so a seq can never be stored
/// twice, whichever node writes it.</summary>
public sealed class RunEventStore(Database database, TimeProvider clock)
{
    public async Task AppendAsync(RunEvent runEvent, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO run_events (run_id, seq, type, payload, created_at) VALUES (@RunId, @Seq, @Type, @Payload, @CreatedAt)",
            new
            {
                runEvent.RunId,
                runEvent.Seq,
                runEvent.Type,
                Payload = System.Text.Encoding.UTF8.GetString(runEvent.Json),
                CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>Stored events of a run with <c>seq &gt; afterSeq</c>, in order.</summary>
    public async Task<IReadOnlyList<StoredRunEvent>> ReadAsync(string runId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRunEvent>(new CommandDefinition(
            "SELECT seq, type, payload FROM run_events WHERE run_id = @runId AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { runId, afterSeq, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>A run's last stored event, or null when it has none.</summary>
    public async Task<StoredRunEvent?> LastAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<StoredRunEvent>(new CommandDefinition(
            "SELECT seq, type, payload FROM run_events WHERE run_id = @runId ORDER BY seq DESC LIMIT 1", new { runId }, cancellationToken: cancellationToken));
    }
}

public sealed class StoredRunEvent
{
    public long Seq { get; set; }

    public string Type { get; set; } = "";

    public string Payload { get; set; } = "";
}
