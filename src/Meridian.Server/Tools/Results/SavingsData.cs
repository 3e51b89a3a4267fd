namespace Meridian.Server.Tools;

public sealed record SavingsData(
    decimal MonthlyCostUsd,
    IReadOnlyList<Strategy> Strategies,
    double CombinedSavingsPct,
    decimal CombinedMonthlySavingsUsd,
    decimal MonthlyCostAfterUsd,
    double P95LatencyMs,
    double P95LatencyAfterMs,
    IReadOnlyList<string> Assumptions);
