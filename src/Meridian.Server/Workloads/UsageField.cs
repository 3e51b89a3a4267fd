namespace Meridian.Server.Workloads;

/// <summary>The fields of a usage record in a file (docs/workloads.md#1-record-format).</summary>
public enum UsageField
{
    Timestamp,
    Model,
    Provider,
    InputTokens,
    OutputTokens,
    LatencyMs,
    CostUsd,
    Status,
    Feature,
    PromptHash,
    Requests,
    CachedInputTokens,
}
