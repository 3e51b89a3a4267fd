namespace Meridian.Server.Tools;

/// <summary>A model's part of the spend. <see cref="InputCostShare"/> is the part of its cost paid for input tokens
/// (what prompt caching and trimming act on).</summary>
public sealed record ModelUse(string Model, double CostShare, double InputCostShare, double P95LatencyMs);

/// <summary>A product feature's part of the spend; <see cref="Offline"/> when nobody waits for its answers.</summary>
public sealed record FeatureUse(string Feature, double CostShare, bool Offline);

/// <summary>What the optimizer works from: measured from usage records, or estimated from what the user said
/// (<see cref="Measured"/> false, with every assumption listed). <see cref="MonthlyCostUsd"/> is 0 when nobody said
/// what is spent: strategies then carry percentages only. <see cref="MeasuredCacheSavingsUsd"/> is cache_opportunity's
/// monthly saving, which prices caching record by record, when there were prompt hashes to measure.</summary>
public sealed record Baseline(
    bool Measured,
    decimal MonthlyCostUsd,
    double MonthlyCalls,
    IReadOnlyList<ModelUse> Models,
    IReadOnlyList<FeatureUse> Features,
    double RepeatedInputShare,
    double P95LatencyMs,
    double MonthlyGrowth,
    IReadOnlyList<string> Assumptions,
    decimal? MeasuredCacheSavingsUsd = null);

/// <summary>What the user wants, from triage: it shapes which strategies matter, not what they save.</summary>
public sealed record Goals(double? TargetSavingsPct = null, double? TargetP95Ms = null, double? GrowthMultiplier = null, int HorizonMonths = 3)
{
    public static readonly Goals None = new();
}
