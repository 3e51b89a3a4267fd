namespace Meridian.Server.Workloads;

/// <summary>The records of one model (with its provider) or one feature. The latency percentiles are the nearest-rank
/// ones of the model's calls (as <c>latency_profile</c> computes them); null for features. Errors, the error rate and the
/// latencies are over calls: a record of several calls weighs as many (docs/workloads.md).</summary>
public sealed record UsageGroup(
    string Name,
    string? Provider,
    long Records,
    long Requests,
    decimal CostUsd,
    double CostShare,
    long InputTokens,
    long CachedInputTokens,
    long OutputTokens,
    long Errors,
    double ErrorRate,
    double AvgLatencyMs,
    double? P50LatencyMs,
    double? P95LatencyMs,
    double? P99LatencyMs);
