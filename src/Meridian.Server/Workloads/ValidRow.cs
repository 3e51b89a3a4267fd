using System.Text;
using System.Text.Unicode;
using Meridian.Server.Pricing;

namespace Meridian.Server.Workloads;

/// <summary>One record that passed validation, ready to store: labels are ids in the import's <see cref="LabelTable"/>.</summary>
internal readonly ref struct ValidRow
{
    public long TimestampMs { get; init; }

    public int Model { get; init; }

    public int Provider { get; init; }

    public int Feature { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long Requests { get; init; }

    /// <summary>NaN when the source did not say (docs/workloads.md#12-unknown-latency).</summary>
    public double LatencyMs { get; init; }

    public double CostUsd { get; init; }

    public bool IsError { get; init; }

    /// <summary>Empty when the record has none.</summary>
    public ReadOnlySpan<byte> PromptHash { get; init; }
}
