namespace Meridian.Cli.Load;

/// <summary>A summary of measured times in milliseconds: count, min, mean, p50, p95, p99 (nearest rank), max.</summary>
internal sealed record Distribution(int Count, double Min, double Mean, double P50, double P95, double P99, double Max)
{
    public static Distribution Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Distribution(0, 0, 0, 0, 0, 0, 0);
        }

        var sorted = samples.Order().ToArray();
        return new Distribution(sorted.Length, sorted[0], sorted.Average(), Rank(sorted, 50), Rank(sorted, 95), Rank(sorted, 99), sorted[^1]);
    }

    public override string ToString() => Count == 0 ? "-" : $"p50 {P50:0} / p95 {P95:0} / p99 {P99:0} ms (max {Max:0})";

    private static double Rank(double[] sorted, int percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
