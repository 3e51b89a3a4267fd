namespace Meridian.Bench.Cluster;

/// <summary>How the throughput users' turns ended, counted from all of them at once.</summary>
internal sealed class ThroughputCounter
{
    private long _completed;
    private long _failed;
    private long _errors;
    private long _closed;

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public long Errors => Interlocked.Read(ref _errors);

    public long Closed => Interlocked.Read(ref _closed);

    /// <summary>Counts a turn by the type of the frame that ended it.</summary>
    public void Ended(string? type)
    {
        switch (type)
        {
            case "agent_completed":
                Interlocked.Increment(ref _completed);
                break;
            case "error":
                Interlocked.Increment(ref _errors);
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }
    }

    public void SocketClosed() => Interlocked.Increment(ref _closed);
}
