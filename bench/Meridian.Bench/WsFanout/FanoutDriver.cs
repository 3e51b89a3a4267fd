using System.Diagnostics;

namespace Meridian.Bench.WsFanout;

/// <summary>Paces a producer: hands out event indexes while at most <see cref="Window"/> events are not yet
/// received by every socket, and at <c>rate</c> per second when one is given; counts what the clients get.</summary>
internal sealed class FanoutDriver(int sockets, double? rate) : IDisposable
{
    private const int Ring = 4096;
    private readonly int[] _received = new int[Ring];
    private readonly SemaphoreSlim _credits = new(WsFanoutBenchmark.Window);
    private readonly CancellationTokenSource _stop = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _next;
    private long _frames;
    private long _completed;

    public volatile bool Measuring;

    public long Frames => Interlocked.Read(ref _frames);

    public CancellationToken Stopped => _stop.Token;

    public void Stop() => _stop.Cancel();

    public void Dispose()
    {
        _credits.Dispose();
        _stop.Dispose();
    }

    /// <summary>The next event's index, or null once stopped.</summary>
    public async ValueTask<long?> NextAsync()
    {
        try
        {
            await _credits.WaitAsync(_stop.Token);
            if (rate is { } perSecond)
            {
                var wait = TimeSpan.FromSeconds(Volatile.Read(ref _next) / perSecond) - Stopwatch.GetElapsedTime(_started);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var index = Interlocked.Increment(ref _next) - 1;
        Volatile.Write(ref _received[index % Ring], 0);
        return index;
    }

    public void Received(long index, long timestamp, List<double> latencies)
    {
        if (Measuring)
        {
            latencies.Add(Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds);
        }

        Interlocked.Increment(ref _frames);
        if (Interlocked.Increment(ref _received[index % Ring]) == sockets)
        {
            Interlocked.Increment(ref _completed);
            _credits.Release();
        }
    }

    /// <summary>Waits (after <see cref="Stop"/>) until every event handed out reached every socket.</summary>
    public async Task DrainAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref _completed) < Volatile.Read(ref _next) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }
    }
}
