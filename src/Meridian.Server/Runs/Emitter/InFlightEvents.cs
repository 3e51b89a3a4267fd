namespace Meridian.Server.Runs;

/// <summary>The events of one run handed to the sink and not yet known to be stored, oldest first. The sink stores a
/// run's events in the order they are written, so waiting for the oldest is waiting for all before it. The first
/// failure is kept: a run whose log has a gap must not write on (docs/runs.md#2-events). Used under the emitter's gate.</summary>
internal sealed class InFlightEvents(string runId)
{
    private readonly Queue<Task> _pending = new();
    private Exception? _fault;

    public int Count => _pending.Count;

    public void Add(Task stored) => _pending.Enqueue(stored);

    public void ThrowIfFaulted()
    {
        if (_fault is not null)
        {
            throw new InvalidOperationException($"Run {runId} can no longer be written: an earlier event could not be stored.", _fault);
        }
    }

    /// <summary>Waits for the oldest <paramref name="count"/> events to be stored, and drops those already stored;
    /// rethrows (now and on every later write) the failure of any of them.</summary>
    public async Task AwaitOldestAsync(int count)
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                await _pending.Dequeue();
            }

            while (_pending.TryPeek(out var oldest) && oldest.IsCompleted)
            {
                await _pending.Dequeue();
            }
        }
        catch (Exception ex)
        {
            _fault ??= ex;
            throw;
        }
    }
}
