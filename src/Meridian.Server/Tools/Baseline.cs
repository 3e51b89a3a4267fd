namespace Meridian.Server.Tools;

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
