namespace Meridian.Bench.WsFanout;

/// <summary>Both sides measured with N sockets: the rounds at saturation, and the paced rounds at
/// <see cref="PacedRate"/>.</summary>
internal sealed record FanoutResult(
    int Sockets, List<FanoutPhase> MeridianSaturated, List<FanoutPhase> BaselineSaturated, double PacedRate,
    List<FanoutPhase> MeridianPaced, List<FanoutPhase> BaselinePaced, int Closed)
{
    public FanoutPhase Meridian => MedianBy(MeridianSaturated, p => p.EventsPerSecond);

    public FanoutPhase Baseline => MedianBy(BaselineSaturated, p => p.EventsPerSecond);

    /// <summary>The median of the rounds' ratios (Meridian / baseline events per second).</summary>
    public double Ratio => Median(RoundRatios);

    public IEnumerable<double> RoundRatios => MeridianSaturated.Zip(BaselineSaturated, (x, y) => x.EventsPerSecond / y.EventsPerSecond);

    public FanoutPhase MeridianLatency => MedianBy(MeridianPaced, p => p.Latency.Percentile(99));

    public FanoutPhase BaselineLatency => MedianBy(BaselinePaced, p => p.Latency.Percentile(99));

    public static FanoutPhase MedianBy(List<FanoutPhase> phases, Func<FanoutPhase, double> key) => phases.OrderBy(key).ElementAt(phases.Count / 2);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
