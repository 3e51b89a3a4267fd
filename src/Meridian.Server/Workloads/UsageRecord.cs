namespace Meridian.Server.Workloads;

/// <summary>One language-model call a user's product made (docs/workloads.md#1-record-format). <see cref="CostUsd"/> is
/// always set: a record imported without a cost is priced from the catalog at import. <see cref="Provider"/> is the
/// file's, else the catalog's for the model, else "unknown"; <see cref="Feature"/> is "default" when the file gives
/// none; <see cref="PromptHash"/> is null when it gives none (docs/workloads.md). A record may stand for
/// <see cref="Requests"/> calls: its tokens and cost are their totals, its latency their mean, its status theirs;
/// <see cref="CachedInputTokens"/> is the part of the input tokens served from the provider's prompt cache. <see cref="LatencyMs"/>
/// is null when the source did not say (docs/workloads.md#12-unknown-latency).</summary>
public sealed record UsageRecord(
    DateTimeOffset Timestamp,
    string Model,
    string Provider,
    long InputTokens,
    long OutputTokens,
    double? LatencyMs,
    decimal CostUsd,
    bool IsError,
    string Feature,
    string? PromptHash,
    long Requests = 1,
    long CachedInputTokens = 0)
{
    /// <summary>Input tokens billed at the full input price.</summary>
    public long UncachedInputTokens => InputTokens - CachedInputTokens;
}
