namespace Meridian.Server.Agents.Triage;

/// <summary>A stated amount of money; <see cref="Period"/> is day, week, month, quarter or year (null: not said).</summary>
public sealed record MoneyAmount(decimal Amount, string? Period, string Text)
{
    /// <summary>The amount per 30-day month; an amount with no period is read as monthly (how bills are quoted).</summary>
    public decimal Monthly => Period switch
    {
        "day" => Amount * 30,
        "week" => Amount * 30 / 7m,
        "quarter" => Amount / 3,
        "year" => Amount / 12,
        _ => Amount,
    };
}

/// <summary>A stated latency: the current value, or a target ("under 1.5 s").</summary>
public sealed record LatencyFigure(double Milliseconds, string? Percentile, bool IsTarget, string Text);

/// <summary>A stated volume of calls, normalised to a 30-day month.</summary>
public sealed record CallVolume(double PerMonth, string Text);

/// <summary>A stated time range: a look-back ("last 30 days") or a horizon ("next quarter"), in days.</summary>
public sealed record TimeRange(int Days, bool IsFuture, string Text);

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
