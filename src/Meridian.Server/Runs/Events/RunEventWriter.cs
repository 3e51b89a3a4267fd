using System.Collections.Concurrent;

namespace Meridian.Server.Runs;

/// <summary>The event log's one writer (group commit). Events from every run wait in a queue; a single drain takes
/// whatever has gathered, stores it in one transaction, then publishes it on <see cref="RunBus"/> (each subscriber
/// gets its events in the order they were written). Under load many events share one commit, and each socket's send
/// loop is woken once per batch rather than once per event; when idle a batch is one event, stored on the writer's
/// own thread, and nothing waits for company.</summary>
/// <remarks>A batch that fails is retried one event at a time, so a bad event (say, a seq another node already
/// stored) fails alone. An event that fails leaves its run with a gap, so later events of that run are refused until
/// one with the missing seq is stored (recovery ends such a run from what was stored).</remarks>
public sealed partial class RunEventWriter : IRunEventSink, IAsyncDisposable
{
    /// <summary>Events per transaction at most: bounds the time one commit holds SQLite's write lock.</summary>
    private const int MaxBatch = 512;

    private readonly RunEventStore _store;
    private readonly RunBus _bus;
    private readonly ILogger<RunEventWriter> _logger;
    private readonly ConcurrentQueue<Pending> _queue = new();

    /// <summary>Runs with an event that could not be stored, and that event's seq (used by the drain only).</summary>
    private readonly Dictionary<string, long> _gaps = new(StringComparer.Ordinal);

    /// <summary>1 while a drain owns the log: there is never more than one, so events are stored in queue order.</summary>
    private int _draining;
    private Task _drain = Task.CompletedTask;
    private volatile bool _closed;
    private long _commits;
    private long _stored;

    public RunEventWriter(RunEventStore store, RunBus bus, ILogger<RunEventWriter> logger)
    {
        _store = store;
        _bus = bus;
        _logger = logger;
    }

    /// <summary>Transactions that stored events; <see cref="EventsStored"/> / <see cref="Commits"/> is the mean batch.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public long EventsStored => Interlocked.Read(ref _stored);

    /// <remarks>The event is queued at once; <paramref name="cancellationToken"/> does not take it back. Emitters bound
    /// how many of their events are in flight, which bounds the queue.</remarks>
    public Task WriteAsync(RunEvent runEvent, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var pending = new Pending(runEvent);
        _queue.Enqueue(pending);
        TryStartDrain();
        return pending.Stored.Task;
    }

    /// <summary>Stores and publishes everything already queued, then refuses new events.</summary>
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        while (true)
        {
            await Volatile.Read(ref _drain);
            if (_queue.IsEmpty && Volatile.Read(ref _draining) == 0)
            {
                return;
            }

            TryStartDrain();
            await Task.Yield();
        }
    }

    private void TryStartDrain()
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            Volatile.Write(ref _drain, DrainAsync());
        }
    }

    /// <summary>Stores and publishes batches until the queue is empty. It starts on the thread of the event that found
    /// the log idle, so a lone event is stored and published at once, with no thread to wake; after that first batch
    /// it moves to the thread pool, so that writer is not held up by everyone else's events under load.</summary>
    private async Task DrainAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var first = true;
        while (true)
        {
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);

                // An event queued between the last look and the release saw the log busy: this drain takes it.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await StoreAsync(batch);
            Publish(batch.Where(p => p.Error is null).Select(p => p.Event).ToList());
            foreach (var pending in batch)
            {
                if (pending.Error is null)
                {
                    pending.Stored.TrySetResult();
                }
                else
                {
                    pending.Stored.TrySetException(pending.Error);
                }
            }

            batch.Clear();
            if (first)
            {
                first = false;
                await Task.Yield();
            }
        }
    }

    /// <summary>Stores the batch, setting <see cref="Pending.Error"/> on each event that could not be stored.</summary>
    private async Task StoreAsync(List<Pending> batch)
    {
        var writable = batch.Where(p => !RefusedForGap(p)).ToList();
        if (writable.Count == 0)
        {
            return;
        }

        try
        {
            await AppendAsync(writable);
            return;
        }
        catch (Exception ex) when (writable.Count > 1)
        {
            LogBatchFailed(ex, writable.Count);
        }
        catch (Exception ex)
        {
            Failed(writable[0], ex);
            return;
        }

        foreach (var pending in writable)
        {
            if (RefusedForGap(pending))
            {
                continue;
            }

            try
            {
                await AppendAsync([pending]);
            }
            catch (Exception ex)
            {
                Failed(pending, ex);
            }
        }
    }

    /// <summary>Whether the event comes after one of its run that could not be stored (refusing it, if so).</summary>
    private bool RefusedForGap(Pending pending)
    {
        // Gaps are rare: most batches skip the lookup altogether.
        if (_gaps.Count > 0 && _gaps.TryGetValue(pending.Event.RunId, out var missing) && pending.Event.Seq > missing)
        {
            pending.Error = new InvalidOperationException(
                $"Event {pending.Event.Seq} of run {pending.Event.RunId} was not stored: event {missing} could not be stored.");
            return true;
        }

        return false;
    }

    private async Task AppendAsync(List<Pending> events)
    {
        await _store.AppendAsync(events.ConvertAll(p => p.Event), CancellationToken.None);
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _stored, events.Count);
        events.ForEach(Stored);
    }

    private void Stored(Pending pending)
    {
        // The missing event itself was stored at last (recovery ending the run): the run has no gap any more.
        if (_gaps.Count > 0 && _gaps.TryGetValue(pending.Event.RunId, out var missing) && missing == pending.Event.Seq)
        {
            _gaps.Remove(pending.Event.RunId);
        }
    }

    private void Failed(Pending pending, Exception error)
    {
        pending.Error = error;
        if (!_gaps.TryGetValue(pending.Event.RunId, out var missing) || pending.Event.Seq < missing)
        {
            _gaps[pending.Event.RunId] = pending.Event.Seq;
        }
    }

    private void Publish(List<RunEvent> events)
    {
        try
        {
            _bus.Publish(events);
        }
        catch (Exception ex)
        {
            // Subscribers only enqueue; one that throws is a bug, and must not stop the log for everyone else.
            LogPublishFault(ex, events.Count);
        }
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Warning, Message = "A batch of {Count} run events could not be stored at once; storing them one by one")]
    private partial void LogBatchFailed(Exception ex, int count);

    [LoggerMessage(EventId = 621, Level = LogLevel.Error, Message = "A subscriber failed while {Count} run events were published")]
    private partial void LogPublishFault(Exception ex, int count);

    private sealed class Pending(RunEvent runEvent)
    {
        public RunEvent Event { get; } = runEvent;

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Error { get; set; }
    }
}
