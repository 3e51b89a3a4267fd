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
        var groups = new Dictionary<string, List<UsageRecord>>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in records)
        {
            var name = key(r);
            if (!groups.TryGetValue(name, out var list))
            {
                groups[name] = list = [];
            }

            list.Add(r);
        }

        return groups.Select(g =>
        {
            var cost = g.Value.Sum(r => r.CostUsd);
            var latencies = new double[g.Value.Count];
            long input = 0, output = 0, errors = 0;
            for (var i = 0; i < g.Value.Count; i++)
            {
                var r = g.Value[i];
                latencies[i] = r.LatencyMs;
                input += r.InputTokens;
                output += r.OutputTokens;
                errors += r.IsError ? 1 : 0;
            }

            return new CostSlice(
                g.Key, g.Value.Count, Figures.Round(cost), Figures.Round(cost * monthFactor),
                total == 0 ? 0 : Figures.Round((double)(cost / total)), input, output,
                LatencyPercentiles.Of(latencies).P95Ms, Figures.Round((double)errors / g.Value.Count));
        }).OrderByDescending(s => s.CostUsd).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }
}
