namespace Meridian.Server.Tools;

public sealed record LatencyPercentiles(double P50Ms, double P95Ms, double P99Ms)
{
    public static readonly LatencyPercentiles None = new(0, 0, 0);

    /// <summary>Nearest-rank percentiles. Sorts <paramref name="values"/> in place (callers pass a scratch copy).</summary>
    public static LatencyPercentiles Of(double[] values)
    {
        if (values.Length == 0)
        {
            return None;
        }

        Array.Sort(values);
        return new(Rank(values, 0.50), Rank(values, 0.95), Rank(values, 0.99));
    }

    private static double Rank(double[] sorted, double p) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
}
