using Meridian.Server.Workloads;

namespace Meridian.Server.Tools;

/// <summary><c>usage_query</c>: selects records and measures their volume, spend, run-rate and trend. Volumes count
/// calls: a record may stand for several (docs/workloads.md#1-record-format).</summary>
public static class UsageQuery
{
    public const string Name = "usage_query";

    /// <summary>Days in the month every run-rate is normalised to.</summary>
    public const double MonthDays = 30;

    public static IReadOnlyList<UsageRecord> Select(IReadOnlyList<UsageRecord> records, UsageFilter filter)
    {
        if (filter == UsageFilter.All || records.Count == 0)
        {
            return records;
        }

        var since = filter.LastDays is { } days ? records.Max(r => r.Timestamp).AddDays(-days) : DateTimeOffset.MinValue;
        return records.Where(r => r.Timestamp > since
            && (filter.Model is null || string.Equals(r.Model, filter.Model, StringComparison.OrdinalIgnoreCase))
            && (filter.Feature is null || string.Equals(r.Feature, filter.Feature, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    public static ToolResult<UsageOverview> Run(IReadOnlyList<UsageRecord> records, UsageFilter filter)
    {
        var selected = Select(records, filter);
        if (selected.Count == 0)
        {
            return new("No usage records match.", new UsageOverview(0, 0, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, null));
        }

        var from = DateTimeOffset.MaxValue;
        var to = DateTimeOffset.MinValue;
        decimal cost = 0;
        long input = 0, output = 0, errors = 0, n = 0;
        foreach (var r in selected)
        {
            from = r.Timestamp < from ? r.Timestamp : from;
            to = r.Timestamp > to ? r.Timestamp : to;
            cost += r.CostUsd;
            input += r.InputTokens;
            output += r.OutputTokens;
            errors += r.IsError ? r.Requests : 0;
            n += r.Requests;
        }

        var days = SpanDays(from, to);
        var overview = new UsageOverview(
            selected.Count, n, from, to, Math.Round(days, 2),
            Figures.Round(cost), Figures.Round(cost * (decimal)(MonthDays / days)),
            Math.Round(n * MonthDays / days), input, output,
            Math.Round((double)input / n, 1), Math.Round((double)output / n, 1),
            Figures.Round((double)errors / n), Trend(selected, from, days));
        var growth = overview.MonthlyGrowth is { } g ? $" Spend is changing by {Figures.Pct(g)} a month." : "";
        return new(
            $"{Figures.Count(n)} calls over {days:0.#} days cost {Figures.Usd(overview.TotalCostUsd)}, a run-rate of " +
            $"{Figures.Usd(overview.MonthlyCostUsd)} a month ({Figures.Count(overview.MonthlyCalls)} calls). Average call: " +
            $"{overview.AvgInputTokens:0} input and {overview.AvgOutputTokens:0} output tokens; error rate {Figures.Pct(overview.ErrorRate)}.{growth}",
            overview);
    }

    /// <summary>The span the records cover, at least one day (a sample from one afternoon is not a month's spend / 720).</summary>
    public static double SpanDays(DateTimeOffset from, DateTimeOffset to) => Math.Max(1, (to - from).TotalDays);

    /// <summary>Month-over-month change of daily spend: a least-squares line through daily cost, as a fraction of the
    /// average day, times 30. Needs two weeks of data to mean anything.</summary>
    private static double? Trend(IReadOnlyList<UsageRecord> records, DateTimeOffset from, double days)
    {
        if (days < 14)
        {
            return null;
        }

        var daily = new double[(int)Math.Ceiling(days) + 1];
        foreach (var r in records)
        {
            daily[(int)(r.Timestamp - from).TotalDays] += (double)r.CostUsd;
        }

        var n = daily.Length - 1; // the last bucket is a partial day
        double sx = 0, sy = 0, sxy = 0, sxx = 0;
        for (var x = 0; x < n; x++)
        {
            sx += x;
            sy += daily[x];
            sxy += x * daily[x];
            sxx += (double)x * x;
        }

        var mean = sy / n;
        var slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return mean <= 0 ? null : Figures.Round(slope * MonthDays / mean);
    }
}
