using System.Text;
using System.Threading.Channels;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Npgsql;

namespace Meridian.Server.Cluster;

/// <summary>Publishes on this node's <see cref="RunBus"/> the events other nodes store, so a user's sockets and SSE
/// streams here get the events of runs executing anywhere, live (docs/architecture.md#5-a-turn). Notices arrive from
/// <see cref="ClusterListener"/>; each wake-up takes all that have gathered and reads, in one query, every run's
/// events after the last seq published here, so a burst costs one read per run, not one per notice. Per run the
/// events go out in seq order, each once; the bus's subscribers (a socket, a replay) also skip by seq.</summary>
internal sealed partial class RemoteEventRelay(Database database, RunBus bus, RunNode node, TimeProvider clock, ILogger<RemoteEventRelay> logger)
    : BackgroundService
{
    private const string CatchUpOrigin = "";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QuietCursor = TimeSpan.FromMinutes(5);

    private readonly Channel<EventNotice> _notices = Channel.CreateUnbounded<EventNotice>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, RunCursor> _cursors = new(StringComparer.Ordinal);
    private long _lastPrune;
    private long _relayed;

    /// <summary>Events published here that another node stored.</summary>
    public long Relayed => Interlocked.Read(ref _relayed);

    /// <summary>Takes a notice from the listener; this node's own commits were published by its writer already.</summary>
    public void Notify(EventNotice notice)
    {
        if (notice.Origin != node.Id)
        {
            _notices.Writer.TryWrite(notice);
        }
    }

    /// <summary>After the listener lost its connection: every run of another node that is active or ended since
    /// <paramref name="sinceMs"/> is read from where this node left it (or from the first event stored since then),
    /// so nothing notified during the outage is lost.</summary>
    public async Task CatchUpAsync(long sinceMs, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT r.id, r.thread_id, r.user_id,
                   (SELECT COALESCE(MAX(e.seq), 0) FROM run_events e WHERE e.run_id = r.id AND e.created_at < @since)
            FROM runs r
            WHERE (r.status IN ('queued', 'running') OR r.ended_at >= @since) AND r.node_id IS DISTINCT FROM @node
            """, connection);
        command.Parameters.AddWithValue("since", sinceMs);
        command.Parameters.AddWithValue("node", node.Id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _notices.Writer.TryWrite(new EventNotice(CatchUpOrigin, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3) + 1, long.MaxValue));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<EventNotice>();
        while (await _notices.Reader.WaitToReadAsync(stoppingToken))
        {
            while (_notices.Reader.TryRead(out var notice))
            {
                batch.Add(notice);
            }

            while (true)
            {
                try
                {
                    await DeliverAsync(batch, stoppingToken);
                    break;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database may be briefly away: the same notices are read again (cursors moved only on success).
                    LogReadFailed(ex, batch.Count);
                    await Task.Delay(RetryDelay, clock, stoppingToken);
                }
            }

            batch.Clear();
            Prune();
        }
    }

    private async Task DeliverAsync(List<EventNotice> notices, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var wanted = new Dictionary<string, RunCursor>(StringComparer.Ordinal);
        foreach (var notice in notices)
        {
            if (!_cursors.TryGetValue(notice.RunId, out var cursor))
            {
                cursor = new RunCursor(notice.RunId, notice.ThreadId, notice.UserId, notice.From - 1);
                _cursors[notice.RunId] = cursor;
            }

            cursor.Touched = now;
            if (notice.To <= cursor.Last)
            {
                continue;
            }

            if (bus.HasSubscribers(notice.UserId, notice.RunId))
            {
                wanted[notice.RunId] = cursor;
            }
            else if (notice.To != long.MaxValue)
            {
                // Nobody here follows it: nothing to read, but a later follower starts from here, not from the past.
                cursor.Last = notice.To;
            }
        }

        if (wanted.Count > 0)
        {
            Publish(await ReadAsync(wanted, cancellationToken));
        }
    }

    /// <summary>The events after each wanted run's cursor, in one query, in run and seq order.</summary>
    private async Task<List<RunEvent>> ReadAsync(Dictionary<string, RunCursor> wanted, CancellationToken cancellationToken)
    {
        var cursors = wanted.Values.ToList();
        await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT e.run_id, e.seq, e.type, e.payload
            FROM unnest(@runs, @after) AS w(run_id, after_seq)
            JOIN run_events e ON e.run_id = w.run_id AND e.seq > w.after_seq
            ORDER BY e.run_id, e.seq
            """, connection);
        command.Parameters.AddWithValue("runs", cursors.Select(c => c.RunId).ToArray());
        command.Parameters.AddWithValue("after", cursors.Select(c => c.Last).ToArray());
        var events = new List<RunEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cursor = wanted[reader.GetString(0)];
            var seq = reader.GetInt64(1);
            if (seq == cursor.Last + 1)
            {
                events.Add(new RunEvent(cursor.RunId, cursor.ThreadId, cursor.UserId, seq, reader.GetString(2), Encoding.UTF8.GetBytes(reader.GetString(3))));
                cursor.Last = seq;
            }
        }

        return events;
    }

    private void Publish(List<RunEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            bus.Publish(events);
        }
        catch (Exception ex)
        {
            // Subscribers only enqueue; one that throws is a bug, and must not stop the relay for everyone else.
            LogPublishFault(ex, events.Count);
        }

        Interlocked.Add(ref _relayed, events.Count);
        foreach (var ended in events.Where(e => e.IsTerminal))
        {
            _cursors.Remove(ended.RunId);
        }
    }

    /// <summary>Drops, at most once a minute, the cursors of runs no notice has named for a while (runs nobody here
    /// followed to their end).</summary>
    private void Prune()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - _lastPrune < 60_000)
        {
            return;
        }

        _lastPrune = now;
        foreach (var quiet in _cursors.Values.Where(c => now - c.Touched > QuietCursor.TotalMilliseconds).ToList())
        {
            _cursors.Remove(quiet.RunId);
        }
    }

    [LoggerMessage(EventId = 911, Level = LogLevel.Warning, Message = "Reading the events of {Count} notices from other nodes failed; retrying")]
    private partial void LogReadFailed(Exception ex, int count);

    [LoggerMessage(EventId = 912, Level = LogLevel.Error, Message = "A subscriber failed while {Count} run events of other nodes were published")]
    private partial void LogPublishFault(Exception ex, int count);
}
