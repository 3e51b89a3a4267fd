using Meridian.Server.Workloads;

namespace Meridian.Server.Tools;

/// <summary>One model's or feature's part of the spend. Monthly figures are run-rates over the records' span.</summary>
public sealed record CostSlice(
    string Name,
    long Calls,
    decimal CostUsd,
    decimal MonthlyCostUsd,
    double Share,
    long InputTokens,
    long OutputTokens,
    double P95LatencyMs,
    double ErrorRate);

public sealed record CostBreakdownData(decimal TotalCostUsd, decimal MonthlyCostUsd, IReadOnlyList<CostSlice> ByModel, IReadOnlyList<CostSlice> ByFeature);

/// <summary><c>cost_breakdown</c>: spend, tokens, latency and errors by model and by product feature.</summary>
public static class CostBreakdown
{
    public const string Name = "cost_breakdown";

    public static ToolResult<CostBreakdownData> Run(IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return new("No usage records to break down.", new CostBreakdownData(0, 0, [], []));
        }

        var from = records.Min(r => r.Timestamp);
        var to = records.Max(r => r.Timestamp);
        var monthFactor = (decimal)(UsageQuery.MonthDays / UsageQuery.SpanDays(from, to));
        var total = records.Sum(r => r.CostUsd);
        var byModel = Slices(records, r => r.Model, total, monthFactor);
        var byFeature = Slices(records, r => r.Feature, total, monthFactor);
        var top = byModel[0];
        var feature = byFeature[0];
        return new(
            $"{Figures.Usd(Figures.Round(total))} across {byModel.Count} models and {byFeature.Count} features. The largest model is " +
            $"{top.Name} at {Figures.Usd(top.MonthlyCostUsd)} a month ({Figures.Pct(top.Share)} of spend); the costliest feature is " +
            $"{feature.Name} at {Figures.Usd(feature.MonthlyCostUsd)} a month ({Figures.Pct(feature.Share)}).",
            new CostBreakdownData(Figures.Round(total), Figures.Round(total * monthFactor), byModel, byFeature));
    }

    private static List<CostSlice> Slices(IReadOnlyList<UsageRecord> records, Func<UsageRecord, string> key, decimal total, decimal monthFactor)
    {
        var groups = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in records)
        {
            var name = key(r);
            if (!groups.TryGetValue(name, out var group))
            {
                groups[name] = group = new Group();
            }

            group.Add(r);
        }

        return groups.Select(g => new CostSlice(
                g.Key, g.Value.Latencies.Count, Figures.Round(g.Value.Cost), Figures.Round(g.Value.Cost * monthFactor),
                total == 0 ? 0 : Figures.Round((double)(g.Value.Cost / total)), g.Value.Input, g.Value.Output,
                LatencyPercentiles.Of([.. g.Value.Latencies]).P95Ms, Figures.Round((double)g.Value.Errors / g.Value.Latencies.Count)))
            .OrderByDescending(s => s.CostUsd).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>One slice's running totals, gathered in a single pass over the records.</summary>
    private sealed class Group
    {
        public decimal Cost { get; private set; }

        public long Input { get; private set; }

        public long Output { get; private set; }

        public long Errors { get; private set; }

        public List<double> Latencies { get; } = [];

        public void Add(UsageRecord r)
        {
            Cost += r.CostUsd;
            Input += r.InputTokens;
            Output += r.OutputTokens;
            Errors += r.IsError ? 1 : 0;
            Latencies.Add(r.LatencyMs);
        }
    }
}
