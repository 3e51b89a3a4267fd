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
    IReadOnlyList<UsageGroup> ByFeature,
    IReadOnlyList<UsageDay> ByDay)
{
    internal static UsageSummary From(
        SummaryRow total, IReadOnlyList<SummaryRow> byModel, IReadOnlyList<LatencyRankRow> ranks, IReadOnlyList<SummaryRow> byFeature,
        IReadOnlyList<SummaryRow> byDay)
    {
        var ranksByModel = ranks.ToDictionary(r => (r.Name, r.Provider));
        return new(
            total.Records,
            Time.FromMs(total.FirstMs),
            Time.FromMs(total.LastMs),
            Dollars(total.CostUsd),
            total.InputTokens,
            total.OutputTokens,
            total.Errors,
            Rate(total.Errors, total.Records),
            Math.Round(total.AvgLatencyMs, 1),
            byModel.Select(g => g.Group(total.CostUsd, ranksByModel.GetValueOrDefault((g.Name, g.Provider!)))).ToList(),
            byFeature.Select(g => g.Group(total.CostUsd, null)).ToList(),
            // Sorted here, ordinally, rather than by ORDER BY: PostgreSQL orders text by its database's collation,
            // SQLite by bytes, and the answer must not depend on which one stores the records.
            byDay.Select(d => d.Day()).OrderBy(d => d.Date).ThenBy(d => d.Model, StringComparer.Ordinal)
                .ThenBy(d => d.Provider, StringComparer.Ordinal).ToList());
    }

    internal static decimal Dollars(double value) => Math.Round((decimal)value, 6);

    internal static double Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 6);
}

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

    /// <summary>The UTC day number (days since 1970-01-01) of a <c>by_day</c> row.</summary>
    public long DayNumber { get; set; }

    public UsageGroup Group(double totalCost, LatencyRankRow? ranks) => new(
        Name, Provider, Records, UsageSummary.Dollars(CostUsd), totalCost > 0 ? Math.Round(CostUsd / totalCost, 6) : 0,
        InputTokens, OutputTokens, Errors, UsageSummary.Rate(Errors, Records), Math.Round(AvgLatencyMs, 1),
        Ms(ranks?.P50), Ms(ranks?.P95), Ms(ranks?.P99));

    public UsageDay Day() => new(UsageDay.DateOf(DayNumber), Name, Provider!, Records, UsageSummary.Dollars(CostUsd), Errors);

    // Rounded as latency_profile rounds its percentiles (LatencyPercentiles.Of).
    private static double? Ms(double? value) => value is { } ms ? Math.Round(ms, 1) : null;
}
