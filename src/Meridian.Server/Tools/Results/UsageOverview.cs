namespace Meridian.Server.Tools;

/// <summary>What <c>usage_query</c> measured. <see cref="Calls"/> counts the calls the records stand for (a record may
/// aggregate several); averages and the error rate are per call.</summary>
public sealed record UsageOverview(
    long Records,
    long Calls,
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
