namespace Meridian.Tests.Infrastructure;

/// <summary>A clock that moves only when a test says so; its timers fire inside <see cref="Advance"/>.</summary>
public sealed class ManualClock : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_timers)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    /// <summary>Moves time forward, firing due timers in order.</summary>
    public void Advance(TimeSpan by)
    {
        var end = GetTimestamp() + by.Ticks;
        while (true)
        {
            ManualTimer? next;
            lock (_timers)
            {
                next = _timers.Where(t => t.DueAt is { } due && due <= end).OrderBy(t => t.DueAt).FirstOrDefault();
            }

            if (next is null)
            {
                break;
            }

            MoveTo(next.DueAt!.Value);
            next.Fire();
        }

        MoveTo(end);
    }

    private void MoveTo(long ticks)
    {
        lock (_timers)
        {
            var delta = ticks - _ticks;
            if (delta > 0)
            {
                _now += TimeSpan.FromTicks(delta);
                Interlocked.Exchange(ref _ticks, ticks);
            }
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_timers)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;

        public long? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetTimestamp() + dueTime.Ticks;
            return true;
        }

        public void Fire()
        {
            DueAt = _period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan ? DueAt + _period.Ticks : null;
            callback(state);
        }

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
