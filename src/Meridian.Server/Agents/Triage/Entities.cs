namespace Meridian.Server.Agents.Triage;

/// <summary>What triage read out of a request.</summary>
public sealed record Entities(
    IReadOnlyList<MoneyAmount> Amounts,
    IReadOnlyList<double> Percentages,
    IReadOnlyList<LatencyFigure> Latencies,
    IReadOnlyList<double> Multipliers,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> Providers,
    IReadOnlyList<TimeRange> TimeRanges,
    IReadOnlyList<CallVolume> Volumes)
{
    public decimal? MonthlySpend => Amounts.Count == 0 ? null : Amounts.Max(a => a.Monthly);

    public LatencyFigure? CurrentLatency => Latencies.FirstOrDefault(l => !l.IsTarget);

    public LatencyFigure? TargetLatency => Latencies.FirstOrDefault(l => l.IsTarget);

    public double? GrowthMultiplier => Multipliers.Count == 0 ? null : Multipliers.Max();

    public double? MonthlyCalls => Volumes.Count == 0 ? null : Volumes.Max(v => v.PerMonth);
}
