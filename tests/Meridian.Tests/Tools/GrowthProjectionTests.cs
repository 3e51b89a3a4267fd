using Meridian.Server.Tools;

namespace Meridian.Tests.Tools;

public sealed class GrowthProjectionTests
{
    private static Baseline Spend(decimal monthlyCost, double monthlyGrowth = 0) =>
        new(true, monthlyCost, 10_000, [], [], 0, 0, monthlyGrowth, []);

    [Fact]
    public void Grows_to_the_stated_multiplier_with_and_without_savings()
    {
        // 2x over 3 months: each month 2^(1/3) = 1.259921 times the last.
        // month 1: 1000 * 1.259921 = 1259.92 -> $1,260; keeping 75%: 944.94 -> $945; calls 12,599
        // month 2: 1000 * 1.587401 = 1587.40 -> $1,587; 1190.55 -> $1,191; calls 15,874
        // month 3: 2000 -> $2,000; 1500 -> $1,500; calls 20,000
        var (summary, data) = GrowthProjection.Run(Spend(1000m), new Goals(GrowthMultiplier: 2, HorizonMonths: 3), 0.25);

        data.GrowthMultiplier.ShouldBe(2);
        data.Basis.ShouldBe("growing 2× over 3 months as stated");
        data.HorizonMonths.ShouldBe(3);
        data.Months.ShouldBe(
        [
            new ProjectedMonth(1, 1260m, 945m, 12_599),
            new ProjectedMonth(2, 1587m, 1191m, 15_874),
            new ProjectedMonth(3, 2000m, 1500m, 20_000),
        ]);
        data.MonthlyCostNowUsd.ShouldBe(1000m);
        data.MonthlyCostAtHorizonUsd.ShouldBe(2000m);
        data.MonthlyCostAtHorizonWithSavingsUsd.ShouldBe(1500m);
        summary.ShouldBe("Growing 2× over 3 months as stated, the monthly bill goes from $1,000 to $2,000 in month 3, or $1,500 with the recommended savings.");
        summary.ShouldContain($"from {Figures.Usd(data.MonthlyCostNowUsd)} to {Figures.Usd(data.MonthlyCostAtHorizonUsd)} in month 3, or {Figures.Usd(data.MonthlyCostAtHorizonWithSavingsUsd)}");
    }

    [Fact]
    public void Without_a_stated_multiplier_the_measured_trend_compounds()
    {
        // 10% a month for the default 3 months: 1100, 1210, 1331; multiplier 1.331 -> 1.33.
        // Keeping 80%: 880, 968, 1064.8 -> $1,065.
        var (summary, data) = GrowthProjection.Run(Spend(1000m, 0.1), Goals.None, 0.2);

        data.GrowthMultiplier.ShouldBe(1.33);
        data.Months.Select(m => (m.CostUsd, m.CostWithSavingsUsd)).ShouldBe([(1100m, 880m), (1210m, 968m), (1331m, 1065m)]);
        summary.ShouldBe("At the measured trend of 10% a month, the monthly bill goes from $1,000 to $1,331 in month 3, or $1,065 with the recommended savings.");
    }

    [Fact]
    public void No_growth_keeps_the_bill_flat()
    {
        var (summary, data) = GrowthProjection.Run(Spend(80m), new Goals(GrowthMultiplier: 0, HorizonMonths: 2), 0.5);

        data.GrowthMultiplier.ShouldBe(1);
        data.Months.ShouldBe([new ProjectedMonth(1, 80m, 40m, 10_000), new ProjectedMonth(2, 80m, 40m, 10_000)]);
        summary.ShouldBe("With no growth measured or stated, the monthly bill goes from $80.00 to $80.00 in month 2, or $40.00 with the recommended savings.");
    }

    [Fact]
    public void A_trend_falling_faster_than_the_bill_takes_it_to_zero()
    {
        // A measured -150% a month (usage_query reports such trends for a steeply falling spend) cannot compound below nothing.
        var (summary, data) = GrowthProjection.Run(Spend(1000m, -1.5), Goals.None, 0.2);

        data.GrowthMultiplier.ShouldBe(0);
        data.Months.ShouldAllBe(m => m.CostUsd == 0m && m.CostWithSavingsUsd == 0m && m.Calls == 0);
        summary.ShouldBe("At the measured trend of -150% a month, the monthly bill goes from $1,000 to $0.00 in month 3, or $0.00 with the recommended savings.");
    }

    [Fact]
    public void Without_a_known_spend_it_speaks_in_multiples()
    {
        // 3x over 6 months; keeping 60% of it: 1.8x.
        var (summary, data) = GrowthProjection.Run(Spend(0m), new Goals(GrowthMultiplier: 3, HorizonMonths: 6), 0.4);

        data.Months.Count.ShouldBe(6);
        data.Months[^1].Calls.ShouldBe(30_000);
        data.MonthlyCostAtHorizonUsd.ShouldBe(0m);
        summary.ShouldBe("Growing 3× over 6 months as stated, spend grows 3× in 6 months; with the recommended savings it grows 1.8×.");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-4, 1)]
    [InlineData(36, 24)]
    public void The_horizon_is_one_to_twenty_four_months(int asked, int months)
    {
        var data = GrowthProjection.Run(Spend(1000m), new Goals(GrowthMultiplier: 2, HorizonMonths: asked), 0).Data;

        data.HorizonMonths.ShouldBe(months);
        data.Months.Count.ShouldBe(months);
        data.MonthlyCostAtHorizonUsd.ShouldBe(2000m);
    }
}
