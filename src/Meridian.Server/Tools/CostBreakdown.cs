using Meridian.Server.Workloads;

namespace Meridian.Server.Tools;

/// <summary><c>cost_breakdown</c>: spend, tokens, latency and errors by model and by product feature. Calls, the
/// error rate and the p95 count a record of several calls as that many calls at its mean latency.</summary>
public static class CostBreakdown
{
    public const string Name = "cost_breakdown";

    public static ToolResult<CostBreakdownData> Run(IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return new("No usage records to break down.", new CostBreakdownData(0, 0, [], []));
        }

        // One pass gathers the span, the total and both groupings: this runs over every record of a user.
        var models = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
        var features = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
        var from = DateTimeOffset.MaxValue;
        var to = DateTimeOffset.MinValue;
        decimal total = 0;
        foreach (var r in records)
        {
            from = r.Timestamp < from ? r.Timestamp : from;
            to = r.Timestamp > to ? r.Timestamp : to;
            total += r.CostUsd;
            Group.Of(models, r.Model).Add(r);
            Group.Of(features, r.Feature).Add(r);
        }

        var monthFactor = (decimal)(UsageQuery.MonthDays / UsageQuery.SpanDays(from, to));
        var byModel = Slices(models, total, monthFactor);
        var byFeature = Slices(features, total, monthFactor);
        var top = byModel[0];
        var feature = byFeature[0];
        return new(
            $"{Figures.Usd(Figures.Round(total))} across {byModel.Count} models and {byFeature.Count} features. The largest model is " +
            $"{top.Name} at {Figures.Usd(top.MonthlyCostUsd)} a month ({Figures.Pct(top.Share)} of spend); the costliest feature is " +
            $"{feature.Name} at {Figures.Usd(feature.MonthlyCostUsd)} a month ({Figures.Pct(feature.Share)}).",
            new CostBreakdownData(Figures.Round(total), Figures.Round(total * monthFactor), byModel, byFeature));
    }

    private static List<CostSlice> Slices(Dictionary<string, Group> groups, decimal total, decimal monthFactor) =>
        groups.Select(g => new CostSlice(
                g.Key, g.Value.CallCount, Figures.Round(g.Value.Cost), Figures.Round(g.Value.Cost * monthFactor),
                total == 0 ? 0 : Figures.Round((double)(g.Value.Cost / total)), g.Value.Input, g.Value.Output,
                LatencyPercentiles.Of([.. g.Value.Latencies], [.. g.Value.Calls]).P95Ms, Figures.Round((double)g.Value.Errors / g.Value.CallCount)))
            .OrderByDescending(s => s.CostUsd).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();

    /// <summary>One slice's running totals, gathered in a single pass over the records.</summary>
    private sealed class Group
    {
        public decimal Cost { get; private set; }

        public long Input { get; private set; }

        public long Output { get; private set; }

        public long Errors { get; private set; }

        public long CallCount { get; private set; }

        public List<double> Latencies { get; } = [];

        public List<long> Calls { get; } = [];

        public static Group Of(Dictionary<string, Group> groups, string name)
        {
            if (!groups.TryGetValue(name, out var group))
            {
                groups[name] = group = new Group();
            }

            return group;
        }

        public void Add(UsageRecord r)
        {
            Cost += r.CostUsd;
            Input += r.InputTokens;
            Output += r.OutputTokens;
            Errors += r.IsError ? r.Requests : 0;
            CallCount += r.Requests;
            // An unknown latency is left out of the percentiles (docs/workloads.md#12-unknown-latency).
            if (r.LatencyMs is { } latency)
            {
                Latencies.Add(latency);
                Calls.Add(r.Requests);
            }
        }
    }
}
