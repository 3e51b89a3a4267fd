namespace Meridian.Server.Tools;

public sealed record CacheOpportunityData(
    long CallsWithHash,
    long RepeatedCalls,
    double RepeatedShare,
    long RepeatedInputTokens,
    decimal MonthlyPromptCacheSavingsUsd,
    decimal MonthlyRepeatedCallCostUsd);
