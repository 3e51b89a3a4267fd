namespace Meridian.Server.Workloads;

/// <summary>The records of one model (with its provider) or one feature. The latency percentiles are the nearest-rank
/// ones of the model's records (as <c>latency_profile</c> computes them); null for features (docs/workloads.md).</summary>
public sealed record UsageGroup(
    string Name,
    string? Provider,
    long Records,
    decimal CostUsd,
    double CostShare,
    long InputTokens,
    long OutputTokens,
    long Errors,
    double ErrorRate,
    double AvgLatencyMs,
    double? P50LatencyMs,
    double? P95LatencyMs,
    double? P99LatencyMs);
