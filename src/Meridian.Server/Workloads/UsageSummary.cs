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
