using System.Runtime.InteropServices;

namespace Meridian.Server.Tools;

/// <summary>Latencies gathered for percentiles, each standing for its record's calls. The calls are kept only from
/// the first record that stands for more than one: most usage holds one call per record, and the analysis tools run
/// over every record of a user, so that case costs no more than the latencies alone.</summary>
internal sealed class LatencySample(int capacity = 0)
{
    private readonly List<double> _latencies = new(capacity);
    private List<long>? _calls;

    /// <summary>Adds a record's latency for its calls; an unknown latency is left out of the percentiles rather than
    /// counted as 0 ms (docs/workloads.md#12-unknown-latency).</summary>
    public void Add(double? latencyMs, long calls)
    {
        if (latencyMs is not { } latency)
        {
            return;
        }

        if (calls != 1 && _calls is null)
        {
            _calls = new List<long>(_latencies.Capacity);
            _calls.AddRange(Enumerable.Repeat(1L, _latencies.Count));
        }

        _latencies.Add(latency);
        _calls?.Add(calls);
    }

    /// <summary>The sample's percentiles, computed in place: call it once, when the sample is complete.</summary>
    public LatencyPercentiles Percentiles() => _calls is null
        ? LatencyPercentiles.Of(CollectionsMarshal.AsSpan(_latencies))
        : LatencyPercentiles.Of(CollectionsMarshal.AsSpan(_latencies), CollectionsMarshal.AsSpan(_calls));
}
