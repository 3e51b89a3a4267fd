using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Runs;

/// <summary>Admits runs and hands out turns: at most <see cref="RunOptions.MaxConcurrentRunsPerUser"/> runs of a
/// user execute at once (later ones wait in arrival order), at most <see cref="RunOptions.MaxConcurrentRuns"/> in
/// all, and a user may have at most <see cref="RunOptions.MaxQueuedRunsPerUser"/> waiting beyond those.</summary>
public sealed class RunScheduler : IDisposable
{
    private readonly RunOptions _options;
    private readonly SemaphoreSlim _global;
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private int _waiting;

    public RunScheduler(IOptions<RunOptions> options)
    {
        _options = options.Value;
        _global = new SemaphoreSlim(_options.MaxConcurrentRuns, _options.MaxConcurrentRuns);
    }

    /// <summary>Runs admitted but not yet executing, all users together.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Reserves a place for one more run of the user; false when the user has too many already.</summary>
    public bool TryAdmit(string userId)
    {
        var lane = _lanes.GetOrAdd(userId, _ => new Lane(_options.MaxConcurrentRunsPerUser));
        lock (lane)
        {
            if (lane.Admitted >= _options.MaxConcurrentRunsPerUser + _options.MaxQueuedRunsPerUser)
            {
                return false;
            }

            lane.Admitted++;
        }

        Interlocked.Increment(ref _waiting);
        return true;
    }

    /// <summary>Gives back an admission whose run was never created.</summary>
    public void Withdraw(string userId)
    {
        Interlocked.Decrement(ref _waiting);
        Leave(_lanes[userId]);
    }

    /// <summary>Waits for the run's turn. Dispose the result when the run ends; if waiting is cancelled the
    /// admission is released here.</summary>
    public async Task<IDisposable> WaitTurnAsync(string userId, CancellationToken cancellationToken)
    {
        var lane = _lanes[userId];
        var haveLane = false;
        try
        {
            await lane.Slots.WaitAsync(cancellationToken);
            haveLane = true;
            await _global.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _waiting);
            return new Turn(this, lane);
        }
        catch
        {
            if (haveLane)
            {
                lane.Slots.Release();
            }

            Interlocked.Decrement(ref _waiting);
            Leave(lane);
            throw;
        }
    }

    /// <summary>One place of this node's <see cref="RunOptions.MaxConcurrentRuns"/> without waiting, or null when all
    /// are taken: with PostgreSQL a node claims a run from the cluster queue only with one in hand, and the run's
    /// per-user turn is the claim's business (docs/runs.md#5-the-cluster-queue). Dispose it to give it back.</summary>
    public IDisposable? TryTakeSlot() => _global.Wait(0) ? new Slot(_global) : null;

    public void Dispose() => _global.Dispose();

    private static void Leave(Lane lane)
    {
        lock (lane)
        {
            lane.Admitted--;
        }
    }

    private sealed class Lane(int concurrent)
    {
        public SemaphoreSlim Slots { get; } = new(concurrent, concurrent);

        public int Admitted { get; set; }
    }

    private sealed class Slot(SemaphoreSlim global) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                global.Release();
            }
        }
    }

    private sealed class Turn(RunScheduler scheduler, Lane lane) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                scheduler._global.Release();
                lane.Slots.Release();
                Leave(lane);
            }
        }
    }
}
