namespace Meridian.Server.Tools;

public sealed record UsageOverview(
    long Records,
    DateTimeOffset? From,
    DateTimeOffset? To,
    double Days,
    decimal TotalCostUsd,
    decimal MonthlyCostUsd,
    double MonthlyCalls,
    long InputTokens,
    long OutputTokens,
    double AvgInputTokens,
    double AvgOutputTokens,
    double ErrorRate,
    double? MonthlyGrowth);
