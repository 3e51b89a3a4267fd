using Meridian.Server.Http;

namespace Meridian.Server.Workloads;

/// <summary>What a user's records add up to (<c>GET /api/workloads/summary</c>).</summary>
public sealed record UsageSummary(
    long Records,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp,
    decimal TotalCostUsd,
    long InputTokens,
    long OutputTokens,
    long Errors,
    double ErrorRate,
    double AvgLatencyMs,
    IReadOnlyList<UsageGroup> ByModel,
    IReadOnlyList<UsageGroup> ByFeature)
{
    internal static UsageSummary From(SummaryRow total, IReadOnlyList<SummaryRow> byModel, IReadOnlyList<SummaryRow> byFeature) => new(
        total.Records,
        Time.FromMs(total.FirstMs),
        Time.FromMs(total.LastMs),
        Dollars(total.CostUsd),
        total.InputTokens,
        total.OutputTokens,
        total.Errors,
        Rate(total.Errors, total.Records),
        Math.Round(total.AvgLatencyMs, 1),
        byModel.Select(g => g.Group(total.CostUsd)).ToList(),
        byFeature.Select(g => g.Group(total.CostUsd)).ToList());

    internal static decimal Dollars(double value) => Math.Round((decimal)value, 6);

    internal static double Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 6);
}

/// <summary>The records of one model (with its provider) or one feature.</summary>
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
    double AvgLatencyMs);

/// <summary>A row of the summary queries (Dapper maps to settable properties).</summary>
internal sealed class SummaryRow
{
    public string Name { get; set; } = "";

    public string? Provider { get; set; }

    public long Records { get; set; }

    public double CostUsd { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long Errors { get; set; }

    public double AvgLatencyMs { get; set; }

    public long? FirstMs { get; set; }

    public long? LastMs { get; set; }

    public UsageGroup Group(double totalCost) => new(
        Name, Provider, Records, UsageSummary.Dollars(CostUsd), totalCost > 0 ? Math.Round(CostUsd / totalCost, 6) : 0,
        InputTokens, OutputTokens, Errors, UsageSummary.Rate(Errors, Records), Math.Round(AvgLatencyMs, 1));
}
