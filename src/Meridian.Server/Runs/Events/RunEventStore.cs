using System.Data.Common;
using Dapper;
using Meridian.Server.Cluster;
using Meridian.Server.Storage;

namespace Meridian.Server.Runs;

/// <summary>The durable log of run events. <c>(run_id, seq)</c> is the primary key, so a seq can never be stored
/// twice, whichever node writes it. On PostgreSQL each commit also notifies the other nodes, in the same
/// transaction, of the runs and seqs it stored (<see cref="EventNotice"/>): a notification is sent only for events
/// that are stored, and never before.</summary>
public sealed class RunEventStore(Database database, TimeProvider clock, RunNode? node = null)
{
    private const string Insert = "INSERT INTO run_events (run_id, seq, type, payload, created_at) VALUES (@run_id, @seq, @type, @payload, @created_at)";

    public Task AppendAsync(RunEvent runEvent, CancellationToken cancellationToken) => AppendAsync([runEvent], cancellationToken);

    /// <summary>Stores <paramref name="events"/> in one transaction: all of them or none. On PostgreSQL they go in one
    /// round trip (a batch); SQLite runs in this process, so one prepared statement is simply executed per event.</summary>
    public async Task AppendAsync(IReadOnlyList<RunEvent> events, CancellationToken cancellationToken)
    {
        var createdAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var runEvent in events)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = Insert;
                Set(Parameters(command.Parameters, command.CreateParameter), runEvent, createdAt);
                batch.BatchCommands.Add(command);
            }

            AddNotices(batch, events);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Insert;
            var parameters = Parameters(command.Parameters, command.CreateParameter);
            foreach (var runEvent in events)
            {
                Set(parameters, runEvent, createdAt);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private void AddNotices(DbBatch batch, IReadOnlyList<RunEvent> events)
    {
        if (node is null || !database.IsPostgres)
        {
            return;
        }

        foreach (var payload in EventNotice.Payloads(node.Id, events))
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = "SELECT pg_notify(@channel, @payload)";
            var parameters = Parameters(command.Parameters, command.CreateParameter, ["channel", "payload"]);
            parameters[0].Value = ClusterChannels.Events;
            parameters[1].Value = payload;
            batch.BatchCommands.Add(command);
        }
    }

    private static readonly string[] Columns = ["run_id", "seq", "type", "payload", "created_at"];

    /// <summary>The insert's parameters, in <see cref="Columns"/> order, added to <paramref name="collection"/>.</summary>
    private static DbParameter[] Parameters(DbParameterCollection collection, Func<DbParameter> create, string[]? names = null)
    {
        names ??= Columns;
        var parameters = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            parameters[i] = create();
            // With its prefix the name is found in one lookup per execution; without, SQLite's driver tries @, $ and :.
            parameters[i].ParameterName = "@" + names[i];
            collection.Add(parameters[i]);
        }

        return parameters;
    }

    private static void Set(DbParameter[] parameters, RunEvent runEvent, long createdAt)
    {
        parameters[0].Value = runEvent.RunId;
        parameters[1].Value = runEvent.Seq;
        parameters[2].Value = runEvent.Type;
        parameters[3].Value = System.Text.Encoding.UTF8.GetString(runEvent.Json);
        parameters[4].Value = createdAt;
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
