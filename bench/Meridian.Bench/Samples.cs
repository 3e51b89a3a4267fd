using System.Diagnostics;

namespace Meridian.Bench;

/// <summary>Percentiles of a set of durations, in milliseconds.</summary>
internal sealed class Samples
{
    private readonly List<double> _ms = [];
    private double[]? _sorted;

    public int Count => _ms.Count;

    public void Add(TimeSpan elapsed)
    {
        _ms.Add(elapsed.TotalMilliseconds);
        _sorted = null;
    }

    public void Add(long startTimestamp) => Add(Stopwatch.GetElapsedTime(startTimestamp));

    public void AddAll(Samples other)
    {
        _ms.AddRange(other._ms);
        _sorted = null;
    }

    public double Percentile(double p)
    {
        if (_sorted is null)
        {
            _sorted = [.. _ms];
            Array.Sort(_sorted);
        }

        return _sorted[Math.Clamp((int)Math.Ceiling(p / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];
    }

    public string Summary() => $"p50 {Percentile(50):F3} ms, p95 {Percentile(95):F3} ms, p99 {Percentile(99):F3} ms (n={Count})";
}
