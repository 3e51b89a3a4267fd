namespace Meridian.Server.Tools;

public sealed record LatencyPercentiles(double P50Ms, double P95Ms, double P99Ms)
{
    public static readonly LatencyPercentiles None = new(0, 0, 0);

    /// <summary>Nearest-rank percentiles. Reorders <paramref name="values"/> in place:
    /// each rank is found by selection, in linear time, since sorting a million latencies costs more than the rest
    /// of an analysis.</summary>
    public static LatencyPercentiles Of(Span<double> values)
    {
        if (values.Length == 0)
        {
            return None;
        }

        var p50 = Rank(values.Length, 0.50);
        var p95 = Rank(values.Length, 0.95);
        var p99 = Rank(values.Length, 0.99);
        Select(values, 0, values.Length - 1, p50);
        Select(values, p50, values.Length - 1, p95);
        Select(values, p95, values.Length - 1, p99);
        return new(Math.Round(values[p50], 1), Math.Round(values[p95], 1), Math.Round(values[p99], 1));
    }

    /// <summary>Nearest-rank percentiles of calls where <paramref name="values"/>[i] stands for <paramref name="calls"/>[i]
    /// calls (a record aggregating several calls counts as many, at its mean latency). Sorts both in place.</summary>
    public static LatencyPercentiles Of(Span<double> values, Span<long> calls)
    {
        values.Sort(calls);
        var total = 0L;
        foreach (var c in calls)
        {
            total += c;
        }

        return new(Math.Round(At(values, calls, total, 0.50), 1), Math.Round(At(values, calls, total, 0.95), 1), Math.Round(At(values, calls, total, 0.99), 1));
    }

    private static double At(ReadOnlySpan<double> sorted, ReadOnlySpan<long> calls, long total, double p)
    {
        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        var seen = 0L;
        for (var i = 0; i < sorted.Length; i++)
        {
            seen += calls[i];
            if (seen >= rank)
            {
                return sorted[i];
            }
        }

        return sorted[^1];
    }

    private static int Rank(int count, double p) => Math.Clamp((int)Math.Ceiling(p * count) - 1, 0, count - 1);

    /// <summary>Moves the k-th smallest of values[lo..hi] to index k, smaller ones before it and larger after
    /// (Hoare's selection with a median-of-three pivot, so sorted input stays linear).</summary>
    private static void Select(Span<double> values, int lo, int hi, int k)
    {
        while (hi > lo)
        {
            var mid = lo + ((hi - lo) / 2);
            if (values[mid] < values[lo])
            {
                (values[mid], values[lo]) = (values[lo], values[mid]);
            }

            if (values[hi] < values[lo])
            {
                (values[hi], values[lo]) = (values[lo], values[hi]);
            }

            if (values[hi] < values[mid])
            {
                (values[hi], values[mid]) = (values[mid], values[hi]);
            }

            var pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }
}
