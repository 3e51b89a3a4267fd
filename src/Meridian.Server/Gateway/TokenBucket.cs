namespace Meridian.Server.Gateway;

/// <summary>A token bucket: <c>capacity</c> at once, refilled at <c>perSecond</c>. Thread-safe.</summary>
internal sealed class TokenBucket(double capacity, double perSecond)
{
    private readonly double _capacity = capacity;
    private readonly double _perSecond = perSecond;
    private double _tokens = capacity;
    private long _updatedAt = Environment.TickCount64;

    /// <summary>Takes one token; when there is none, returns how long until there will be.</summary>
    public bool TryTake(out int retryAfterMs)
    {
        lock (this)
        {
            var now = Environment.TickCount64;
            _tokens = Math.Min(_capacity, _tokens + ((now - _updatedAt) / 1000.0 * _perSecond));
            _updatedAt = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfterMs = 0;
                return true;
            }

            retryAfterMs = (int)Math.Ceiling((1 - _tokens) / _perSecond * 1000);
            return false;
        }
    }
}
