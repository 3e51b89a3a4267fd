namespace Meridian.Server.Hosting;

/// <summary>Counts work that a graceful shutdown should wait for (runs, long requests).
/// On SIGTERM the host waits until the count reaches zero or <see cref="ServerOptions.DrainSeconds"/> pass.</summary>
public sealed class InFlightWork
{
    private int _count;
    private TaskCompletionSource _idle = NewIdle(completed: true);

    public int Count => Volatile.Read(ref _count);

    public IDisposable Begin()
    {
        lock (this)
        {
            if (_count++ == 0)
            {
                _idle = NewIdle(completed: false);
            }
        }

        return new Lease(this);
    }

    /// <summary>Completes when no work is in flight.</summary>
    public Task WhenIdle()
    {
        lock (this)
        {
            return _idle.Task;
        }
    }

    private void End()
    {
        lock (this)
        {
            if (--_count == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            tcs.SetResult();
        }

        return tcs;
    }

    private sealed class Lease(InFlightWork owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.End();
            }
        }
    }
}
