namespace Meridian.Bench.WsFanout;

/// <summary>One measured interval.</summary>
internal sealed record FanoutPhase(double EventsPerSecond, double FramesPerSecond, Samples Latency)
{
    public override string ToString() =>
        $"{EventsPerSecond:F0} events/s ({FramesPerSecond:F0} frames/s), latency p50 {Latency.Percentile(50):F2} ms p99 {Latency.Percentile(99):F2} ms";
}
