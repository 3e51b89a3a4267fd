using Meridian.Server.Tools;
using Meridian.Server.Workloads;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

public sealed class UsageQueryTests
{
    [Fact]
    public void Measures_volume_spend_and_run_rate_over_the_span()
    {
        // Week(): 8 calls from day 0 to day 5, a 5-day span.
        // cost 2 + 4 + 0.5 + 1.5 + 1 + 3 + 0.25 + 2.75 = 15.00; run-rate 15 * 30 / 5 = 90.00; calls 8 * 30 / 5 = 48
        // input 1000 + 3000 + 500 + 1500 + 1000 + 2000 + 800 + 1200 = 11000 (avg 1375); output 2200 (avg 275)
        // errors #2 and #7: 2 / 8 = 25%. Under 14 days: no trend.
        // Records, calls, from, to, days, cost, run-rate, calls a month, input, output, average input, average output, error rate, trend:
        var (summary, data) = UsageQuery.Run(Week(), UsageFilter.All);

        data.ShouldBe(new UsageOverview(8, 8, Day(0), Day(5), 5, 15.00m, 90.00m, 48, 11000, 2200, 1375, 275, 0.25, null));
        summary.ShouldBe("8 calls over 5 days cost $15.00, a run-rate of $90.00 a month (48 calls). " +
            "Average call: 1375 input and 275 output tokens; error rate 25%.");
        ShouldQuote(summary, data);
    }

    [Fact]
    public void Filters_by_model_ignoring_case()
    {
        // big-a: #1, #2, #6, #8, day 0 to day 5. cost 2 + 4 + 3 + 2.75 = 11.75; run-rate 11.75 * 6 = 70.50; calls 4 * 6 = 24
        // input 7200 (avg 1800), output 1500 (avg 375); one error in four.
        var (summary, data) = UsageQuery.Run(Week(), new UsageFilter(Model: "BIG-A"));

        data.ShouldBe(new UsageOverview(4, 4, Day(0), Day(5), 5, 11.75m, 70.50m, 24, 7200, 1500, 1800, 375, 0.25, null));
        ShouldQuote(summary, data);
    }

    [Fact]
    public void Last_days_count_back_from_the_newest_record()
    {
        // Newest is day 5; two days back is day 3, and only later records count: #7 (day 4) and #8 (day 5), not #6 (day 3).
        // cost 0.25 + 2.75 = 3.00 over one day: 90.00 a month, 60 calls.
        var records = Week();

        UsageQuery.Select(records, new UsageFilter(LastDays: 2)).ShouldBe([records[6], records[7]]);
        var data = UsageQuery.Run(records, new UsageFilter(LastDays: 2)).Data;
        data.TotalCostUsd.ShouldBe(3.00m);
        data.Days.ShouldBe(1);
        data.MonthlyCostUsd.ShouldBe(90.00m);
        data.MonthlyCalls.ShouldBe(60);
    }

    [Fact]
    public void Model_and_feature_filters_combine()
    {
        var records = Week();

        UsageQuery.Select(records, new UsageFilter(Model: "mid-a", Feature: "Search")).ShouldBe([records[2], records[3]]);
        UsageQuery.Select(records, UsageFilter.All).ShouldBeSameAs(records);
    }

    [Fact]
    public void A_single_record_counts_as_one_day()
    {
        // Span 0 clamps to 1 day: 0.40 * 30 = 12.00 a month, 30 calls.
        var (summary, data) = UsageQuery.Run([Call(Day(0.25), "mid-a", 400, 80, 500, 0.40m)], UsageFilter.All);

        data.Days.ShouldBe(1);
        data.MonthlyCostUsd.ShouldBe(12.00m);
        data.MonthlyCalls.ShouldBe(30);
        data.MonthlyGrowth.ShouldBeNull();
        summary.ShouldBe("1 calls over 1 days cost $0.40, a run-rate of $12.00 a month (30 calls). " +
            "Average call: 400 input and 80 output tokens; error rate 0%.");
    }

    [Fact]
    public void No_records_or_no_match_give_an_empty_overview()
    {
        foreach (var (records, filter) in new (IReadOnlyList<UsageRecord>, UsageFilter)[] { ([], UsageFilter.All), ([], new(LastDays: 7)), (Week(), new(Model: "gpt-9")) })
        {
            var (summary, data) = UsageQuery.Run(records, filter);

            summary.ShouldBe("No usage records match.");
            data.Records.ShouldBe(0);
            data.From.ShouldBeNull();
            data.MonthlyCostUsd.ShouldBe(0m);
            data.MonthlyGrowth.ShouldBeNull();
        }
    }

    [Fact]
    public void Trend_of_a_linearly_growing_daily_spend()
    {
        // One call a day at noon, day k costing 10 + k, k = 0..14: a span of exactly 14 days.
        // Day buckets 0..13 (10..23 dollars) count; bucket 14 is the partial last day and is left out.
        // Least squares over x = 0..13: slope 1 a day; mean day (10 + 23) / 2 = 16.5; trend 1 * 30 / 16.5 = 1.81818 -> 1.8182.
        // (With the last bucket the mean would be 17 and the trend 1.7647.)
        // Total 10 + ... + 24 = 255; run-rate 255 * 30 / 14 = 546.43 -> $546; calls 15 * 30 / 14 = 32.1 -> 32.
        var (summary, data) = UsageQuery.Run(Daily(15, k => 10 + k), UsageFilter.All);

        data.Days.ShouldBe(14);
        data.TotalCostUsd.ShouldBe(255m);
        data.MonthlyCostUsd.ShouldBe(546m);
        data.MonthlyCalls.ShouldBe(32);
        data.MonthlyGrowth.ShouldBe(1.8182);
        summary.ShouldContain("15 calls over 14 days cost $255, a run-rate of $546 a month (32 calls).");
        summary.ShouldEndWith(" Spend is changing by 181.8% a month.");
        ShouldQuote(summary, data);
    }

    [Fact]
    public void Trend_of_a_falling_daily_spend_is_negative()
    {
        // Day k costs 24 - k, k = 0..14. Buckets 0..13 hold 24..11: slope -1, mean 17.5; trend -30 / 17.5 = -1.7143.
        var (summary, data) = UsageQuery.Run(Daily(15, k => 24 - k), UsageFilter.All);

        data.MonthlyGrowth.ShouldBe(-1.7143);
        summary.ShouldEndWith(" Spend is changing by -171.4% a month.");
    }

    [Fact]
    public void Less_than_two_weeks_has_no_trend()
    {
        // Day 0..13 at noon: a 13-day span.
        var (summary, data) = UsageQuery.Run(Daily(14, k => 10 + k), UsageFilter.All);

        data.Days.ShouldBe(13);
        data.MonthlyGrowth.ShouldBeNull();
        summary.ShouldNotContain("Spend is changing");
    }

    private static List<UsageRecord> Daily(int days, Func<int, decimal> cost) =>
        [.. Enumerable.Range(0, days).Select(k => Call(Day(k + 0.5), "mid-a", 1000, 100, 400, cost(k)))];

    private static void ShouldQuote(string summary, UsageOverview data)
    {
        summary.ShouldContain($"cost {Figures.Usd(data.TotalCostUsd)}, a run-rate of {Figures.Usd(data.MonthlyCostUsd)} a month ({Figures.Count(data.MonthlyCalls)} calls)");
        summary.ShouldContain($"error rate {Figures.Pct(data.ErrorRate)}.");
        if (data.MonthlyGrowth is { } growth)
        {
            summary.ShouldContain($"changing by {Figures.Pct(growth)} a month");
        }
    }
}
