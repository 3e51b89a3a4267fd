namespace Meridian.Server.Workloads;

/// <summary>SplitMix64: a small generator whose sequence for a seed is fixed by this code, not by the runtime
/// (System.Random's seeded sequence is not promised across .NET versions), so a synthetic workload is reproducible.</summary>
internal sealed class SeededRandom(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public int Next(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Normal() => Math.Sqrt(-2 * Math.Log(1 - NextDouble())) * Math.Cos(2 * Math.PI * NextDouble());

    /// <summary>Log-normal around <paramref name="median"/>; <paramref name="sigma"/> is the spread of its logarithm.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>An index drawn with the given weights.</summary>
    public int Pick(IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        var x = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }
}
