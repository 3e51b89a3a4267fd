using Meridian.Server.Tools;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

public sealed class CostBreakdownTests
{
    [Fact]
    public void Splits_spend_tokens_latency_and_errors_by_model()
    {
        // Week(): total 15.00 over 5 days, so a month is 6 times the records' cost.
        // big-a   #1 #2 #6 #8  2 + 4 + 3 + 2.75 = 11.75 -> 70.50/month, share 11.75 / 15 = 0.7833
        //         input 1000 + 3000 + 2000 + 1200 = 7200, output 200 + 400 + 600 + 300 = 1500
        //         latencies 900 1100 1300 2500: p95 rank ceil(0.95 * 4) = 4 -> 2500; errors 1 / 4
        // mid-a   #3 #4 #5     0.5 + 1.5 + 1 = 3.00 -> 18.00/month, share 0.2; input 3000, output 600
        //         latencies 300 350 400: p95 rank 3 -> 400; no errors
        // small-a #7           0.25 -> 1.50/month, share 0.01667 -> 0.0167; p95 150; errors 1 / 1
        var (summary, data) = CostBreakdown.Run(Week());

        data.TotalCostUsd.ShouldBe(15.00m);
        data.MonthlyCostUsd.ShouldBe(90.00m);
        data.ByModel.ShouldBe(
        [
            new CostSlice("big-a", 4, 11.75m, 70.50m, 0.7833, 7200, 1500, 2500, 0.25),
            new CostSlice("mid-a", 3, 3.00m, 18.00m, 0.2, 3000, 600, 400, 0),
            new CostSlice("small-a", 1, 0.25m, 1.50m, 0.0167, 800, 100, 150, 1),
        ]);
        data.ByModel.Sum(s => s.CostUsd).ShouldBe(data.TotalCostUsd);
        summary.ShouldStartWith("$15.00 across 3 models and 3 features. The largest model is big-a at $70.50 a month (78.3% of spend);");
    }

    [Fact]
    public void Splits_spend_tokens_latency_and_errors_by_feature()
    {
        // chat      #1 #6 #8  2 + 3 + 2.75 = 7.75 -> 46.50/month, share 0.5167; input 4200, output 1100
        //                     latencies 900 1100 1300: p95 1300; no errors
        // search    #2 #3 #4  4 + 0.5 + 1.5 = 6.00 -> 36.00/month, share 0.4; input 5000, output 800
        //                     latencies 300 400 2500: p95 2500; errors 1 / 3 = 0.3333
        // summarize #5 #7     1 + 0.25 = 1.25 -> 7.50/month, share 0.0833; input 1800, output 300
        //                     latencies 150 350: p95 rank 2 -> 350; errors 1 / 2
        var (summary, data) = CostBreakdown.Run(Week());

        data.ByFeature.ShouldBe(
        [
            new CostSlice("chat", 3, 7.75m, 46.50m, 0.5167, 4200, 1100, 1300, 0),
            new CostSlice("search", 3, 6.00m, 36.00m, 0.4, 5000, 800, 2500, 0.3333),
            new CostSlice("summarize", 2, 1.25m, 7.50m, 0.0833, 1800, 300, 350, 0.5),
        ]);
        summary.ShouldEndWith("the costliest feature is chat at $46.50 a month (51.7%).");
        var (top, feature) = (data.ByModel[0], data.ByFeature[0]);
        summary.ShouldContain($"{Figures.Usd(data.TotalCostUsd)} across");
        summary.ShouldContain($"{top.Name} at {Figures.Usd(top.MonthlyCostUsd)} a month ({Figures.Pct(top.Share)} of spend)");
        summary.ShouldContain($"{feature.Name} at {Figures.Usd(feature.MonthlyCostUsd)} a month ({Figures.Pct(feature.Share)})");
    }

    [Fact]
    public void Names_differing_in_case_are_one_slice_named_as_first_seen()
    {
        // Two calls a day apart: 1.00 + 3.00 = 4.00 over 1 day -> 120/month.
        var (_, data) = CostBreakdown.Run(
        [
            Call(Day(0), "Mid-A", 100, 10, 200, 1.00m, "Chat"),
            Call(Day(1), "mid-a", 100, 10, 300, 3.00m, "chat"),
        ]);

        data.ByModel.ShouldHaveSingleItem().ShouldBe(new CostSlice("Mid-A", 2, 4.00m, 120m, 1, 200, 20, 300, 0));
        data.ByFeature.ShouldHaveSingleItem().Name.ShouldBe("Chat");
    }

    [Fact]
    public void Equal_costs_are_ordered_by_name()
    {
        var (summary, data) = CostBreakdown.Run(
        [
            Call(Day(0), "zeta", 100, 10, 200, 2.00m),
            Call(Day(0), "alpha", 100, 10, 200, 2.00m),
            Call(Day(0), "mid", 100, 10, 200, 3.00m),
        ]);

        data.ByModel.Select(s => s.Name).ShouldBe(["mid", "alpha", "zeta"]);
        summary.ShouldContain("The largest model is mid at $90.00 a month (42.9% of spend)");
    }

    [Fact]
    public void A_single_record_is_a_month_of_thirty_such_days()
    {
        // Span clamps to 1 day: 0.40 * 30 = 12.00 a month, the whole spend.
        var (summary, data) = CostBreakdown.Run([Call(Day(0), "gpt-9", 400, 80, 500, 0.40m, "tagging")]);

        data.TotalCostUsd.ShouldBe(0.40m);
        data.MonthlyCostUsd.ShouldBe(12.00m);
        data.ByModel.ShouldHaveSingleItem().ShouldBe(new CostSlice("gpt-9", 1, 0.40m, 12.00m, 1, 400, 80, 500, 0));
        summary.ShouldBe("$0.40 across 1 models and 1 features. The largest model is gpt-9 at $12.00 a month (100% of spend); " +
            "the costliest feature is tagging at $12.00 a month (100%).");
    }

    [Fact]
    public void Free_calls_have_no_share()
    {
        var (summary, data) = CostBreakdown.Run(
        [
            Call(Day(0), "local-free", 400, 80, 500, 0m),
            Call(Day(2), "local-free", 400, 80, 700, 0m),
        ]);

        data.TotalCostUsd.ShouldBe(0m);
        data.ByModel.ShouldHaveSingleItem().Share.ShouldBe(0);
        summary.ShouldContain("local-free at $0.00 a month (0% of spend)");
    }

    [Fact]
    public void No_records_break_down_to_nothing()
    {
        var (summary, data) = CostBreakdown.Run([]);

        summary.ShouldBe("No usage records to break down.");
        data.TotalCostUsd.ShouldBe(0m);
        data.MonthlyCostUsd.ShouldBe(0m);
        data.ByModel.ShouldBeEmpty();
        data.ByFeature.ShouldBeEmpty();
    }
}
