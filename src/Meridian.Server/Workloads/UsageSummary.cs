using Meridian.Server.Http;

namespace Meridian.Server.Workloads;

/// <summary>What a user's records add up to (<c>GET /api/workloads/summary</c>): <see cref="Records"/> counts records,
/// <see cref="Requests"/> the calls they stand for; errors, the error rate and the mean latency are over calls.</summary>
public sealed record UsageSummary(
    long Records,
    long Requests,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp,
    decimal TotalCostUsd,
    long InputTokens,
    long CachedInputTokens,
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
            total.Requests,
            Time.FromMs(total.FirstMs),
            Time.FromMs(total.LastMs),
            Dollars(total.CostUsd),
            total.InputTokens,
            total.CachedInputTokens,
            total.OutputTokens,
            total.Errors,
            Rate(total.Errors, total.Requests),
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
