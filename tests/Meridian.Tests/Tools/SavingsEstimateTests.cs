using Meridian.Server.Pricing;
using Meridian.Server.Tools;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

public sealed class SavingsEstimateTests
{
    /// <summary>
    /// $10,000 a month. model (cost share, input share of its cost): big-a (0.6, 0.5), mid-b (0.3, 0.8), gpt-9 (0.08, 0.5),
    /// small-a (0.02, 0.5). Features: chat 70% interactive, nightly-report 30% offline. A quarter of input tokens repeat.
    /// </summary>
    internal static Baseline TenThousand(decimal monthlyCost = 10_000m, double p95 = 2400, double growth = 0) => new(
        true, monthlyCost, 100_000,
        [new ModelUse("big-a", 0.6, 0.5, 2400), new ModelUse("mid-b", 0.3, 0.8, 900), new ModelUse("gpt-9", 0.08, 0.5, 1000), new ModelUse("small-a", 0.02, 0.5, 300)],
        [new FeatureUse("chat", 0.7, false), new FeatureUse("nightly-report", 0.3, true)],
        0.25, p95, growth, ["measured from 8 days of records"]);

    [Fact]
    public void Each_strategy_saves_its_fraction_of_the_spend()
    {
        // Routing (models with at least 5% of spend, largest three): 40% of a model's calls at the cheaper model's cost ratio
        //   big-a -> mid-a (same provider): ratio 0.5 * 2/10 + 0.5 * 6/30 = 0.2; 0.6 * 0.4 * (1 - 0.2) = 0.192 -> $1,920
        //   mid-b -> local-free (no beta tier 3): ratio 0; 0.3 * 0.4 * 1 = 0.12 -> $1,200
        //   gpt-9 is not in the catalog; small-a has 2% of spend.
        // Prompt caching: share * input share * 0.25 repeated * cached discount
        //   big-a 0.6 * 0.5 * 0.25 * (1 - 5/10) = 0.0375; mid-b 0.3 * 0.8 * 0.25 * (1 - 0.5/1) = 0.03; small-a has no cached price
        //   0.0675 -> $675
        // Batch: offline 0.3 * average batch discount of the models that have one (big-a 0.5, mid-b 0.5) = 0.15 -> $1,500
        // Output cap: output share 0.6 * 0.5 + 0.3 * 0.2 + 0.08 * 0.5 + 0.02 * 0.5 = 0.41; * 0.15 = 0.0615 -> $615
        // Prompt trimming: input share 0.3 + 0.24 + 0.04 + 0.01 = 0.59; * 0.1 = 0.059 -> $590
        // p95 2400 > 2000: streaming; the fastest model of big-a's provider at most one tier below it is mid-a
        //   (800 ms; mid-b at 600 ms is another provider's): 2400 * 800 / 2000 = 960 ms.
        var data = SavingsEstimate.Run(TenThousand(), Catalog(), Goals.None).Data;

        data.Strategies.Select(s => (s.Id, s.Type, s.SavingsPct, s.MonthlySavingsUsd)).ShouldBe(
        [
            ("route_big_a", "model_routing", 0.192, 1920m),
            ("batch_api", "batch", 0.15, 1500m),
            ("route_mid_b", "model_routing", 0.12, 1200m),
            ("prompt_caching", "caching", 0.0675, 675m),
            ("output_cap", "output_cap", 0.0615, 615m),
            ("prompt_trimming", "prompt_trimming", 0.059, 590m),
            ("streaming_parallelism", "latency", 0, 0m),
        ]);
        var routeBigA = data.Strategies[0];
        routeBigA.Name.ShouldBe("Route low-risk big-a traffic to mid-a");
        routeBigA.LatencyEffect.ShouldBe("faster on routed calls (800 ms typical instead of 2.0 s)");
        routeBigA.Basis.ShouldBe("40% of big-a calls at 80% lower cost per call");
        data.Strategies[1].Name.ShouldBe("Send nightly-report through the batch API");
        data.Strategies[2].LatencyEffect.ShouldBe("slower on routed calls (900 ms typical instead of 600 ms)");
        data.Strategies[2].Basis.ShouldBe("40% of mid-b calls at 100% lower cost per call");
        data.Strategies[4].Basis.ShouldBe("15% fewer output tokens on 41% of spend");
        data.Strategies[5].Basis.ShouldBe("10% fewer input tokens on 59% of spend");
        data.Strategies[6].LatencyEffect.ShouldBe("p95 from 2.4 s to about 960 ms with the faster model on latency-critical calls; users see the first words at once");
        data.P95LatencyMs.ShouldBe(2400);
        data.P95LatencyAfterMs.ShouldBe(960);
        data.Assumptions.ShouldBe(["measured from 8 days of records"]);
    }

    [Fact]
    public void Combined_savings_compound()
    {
        // Adding the strategies up would claim 65% ($6,500). Each acts on what the previous ones left:
        // 1 - 0.808 * 0.85 * 0.88 * 0.9325 * 0.9385 * 0.941 = 1 - 0.49772 = 0.50228 -> 50.2%, $5,023; $4,977 left.
        var (summary, data) = SavingsEstimate.Run(TenThousand(), Catalog(), Goals.None);

        data.MonthlyCostUsd.ShouldBe(10_000m);
        data.CombinedSavingsPct.ShouldBe(0.5023);
        data.CombinedMonthlySavingsUsd.ShouldBe(5023m);
        data.MonthlyCostAfterUsd.ShouldBe(4977m);
        summary.ShouldStartWith("7 strategies. Together they save 50.2%, $5,023 of $10,000 a month, leaving $4,977 (49.8%). Largest first: " +
            "Route low-risk big-a traffic to mid-a ($1,920/month, 19.2%); Send nightly-report through the batch API ($1,500/month, 15%); " +
            "Route low-risk mid-b traffic to local-free ($1,200/month, 12%); ");
        summary.ShouldContain($"save {Figures.Pct(data.CombinedSavingsPct)}, {Figures.Usd(data.CombinedMonthlySavingsUsd)} of {Figures.Usd(data.MonthlyCostUsd)} a month");
        foreach (var s in data.Strategies.Where(s => s.SavingsPct > 0))
        {
            summary.ShouldContain($"{s.Name} ({Figures.Usd(s.MonthlySavingsUsd)}/month, {Figures.Pct(s.SavingsPct)})");
        }
    }

    [Fact]
    public void Routing_considers_the_three_largest_models_whatever_their_order()
    {
        // Four models over 5%, listed smallest first; the three largest are routed:
        //   big-a 0.6 -> mid-a: 0.6 * 0.4 * 0.8 = 0.192
        //   big-b 0.2 -> mid-b: ratio 0.5 * 1/8 + 0.5 * 3/24 = 0.125; 0.2 * 0.4 * 0.875 = 0.07
        //   mid-a 0.12 -> small-a: ratio 0.5 * 0.5/2 + 0.5 * 1.5/6 = 0.25; 0.12 * 0.4 * 0.75 = 0.036
        //   mid-b 0.08 is the fourth.
        var baseline = TenThousand() with
        {
            Models = [new ModelUse("mid-b", 0.08, 0.5, 600), new ModelUse("mid-a", 0.12, 0.5, 800), new ModelUse("big-b", 0.2, 0.5, 1800), new ModelUse("big-a", 0.6, 0.5, 2000)],
        };

        var routes = SavingsEstimate.Run(baseline, Catalog(), Goals.None).Data.Strategies.Where(s => s.Type == "model_routing");

        routes.Select(s => (s.Id, s.SavingsPct)).ShouldBe([("route_big_a", 0.192), ("route_big_b", 0.07), ("route_mid_a", 0.036)]);
    }

    [Fact]
    public void Without_a_known_spend_strategies_carry_percentages_only()
    {
        var (summary, data) = SavingsEstimate.Run(TenThousand(monthlyCost: 0), Catalog(), Goals.None);

        data.Strategies.ShouldAllBe(s => s.MonthlySavingsUsd == 0);
        data.CombinedSavingsPct.ShouldBe(0.5023);
        data.CombinedMonthlySavingsUsd.ShouldBe(0m);
        summary.ShouldStartWith("7 strategies. Together they save 50.2% of spend, leaving 49.8% of it. Largest first: " +
            "Route low-risk big-a traffic to mid-a (19.2% of spend); Send nightly-report through the batch API (15% of spend); " +
            "Route low-risk mid-b traffic to local-free (12% of spend); ");
    }

    [Fact]
    public void Latency_target_and_growth_add_strategies_without_savings()
    {
        // p95 900 ms is under 2 s, so only a 500 ms target asks for streaming: 900 * 800 / 2000 = 360 ms.
        // A stated 2x growth, or a measured 6% a month, asks for capacity headroom.
        var calm = SavingsEstimate.Run(TenThousand(p95: 900), Catalog(), Goals.None).Data;
        var pressed = SavingsEstimate.Run(TenThousand(p95: 900), Catalog(), new Goals(TargetP95Ms: 500, GrowthMultiplier: 2)).Data;
        var trending = SavingsEstimate.Run(TenThousand(p95: 900, growth: 0.06), Catalog(), Goals.None).Data;

        calm.Strategies.Select(s => s.Id).ShouldNotContain("streaming_parallelism");
        calm.Strategies.Select(s => s.Id).ShouldNotContain("capacity_headroom");
        calm.P95LatencyAfterMs.ShouldBe(900);
        pressed.Strategies.Single(s => s.Id == "streaming_parallelism").LatencyEffect.ShouldStartWith("p95 from 900 ms to about 360 ms");
        pressed.P95LatencyAfterMs.ShouldBe(360);
        pressed.Strategies.Single(s => s.Id == "capacity_headroom").SavingsPct.ShouldBe(0);
        // With a latency target, routing picks a cheaper model that is no slower: mid-b (600 ms) goes to small-a
        // (300 ms, another provider) instead of local-free (900 ms).
        calm.Strategies.Single(s => s.Id == "route_mid_b").Name.ShouldBe("Route low-risk mid-b traffic to local-free");
        pressed.Strategies.Single(s => s.Id == "route_mid_b").Name.ShouldBe("Route low-risk mid-b traffic to small-a");
        trending.Strategies.Select(s => s.Id).ShouldContain("capacity_headroom");
    }

    [Fact]
    public void Models_of_unknown_typical_latency_do_not_set_the_p95()
    {
        // Typical latency 0 means the catalog does not know it: it neither divides the p95 nor zeroes it.
        var catalog = new PriceCatalog(new DateOnly(2026, 1, 15),
        [
            new ModelPrice("big-a", "alpha", 10m, 30m, 5m, 0.5m, 1, 2000),
            new ModelPrice("self-hosted", "local", 0m, 0m, 0m, 0m, 2, 0),
        ]);
        Baseline Only(string model) => new(true, 1000m, 1000, [new ModelUse(model, 1, 0.5, 3000)], [], 0, 3000, 0, []);

        foreach (var model in new[] { "big-a", "self-hosted" })
        {
            var data = SavingsEstimate.Run(Only(model), catalog, Goals.None).Data;

            data.P95LatencyAfterMs.ShouldBe(3000);
            data.Strategies.Single(s => s.Id == "streaming_parallelism").LatencyEffect.ShouldBe("users see the first words at once; total time unchanged");
        }
    }

    [Fact]
    public void Free_and_unknown_models_offer_no_routing_or_caching()
    {
        // local-free has no cheaper model and no cached price; gpt-9 is not in the catalog.
        // Only the output cap (0.4 of spend is output: * 0.15 = 0.06) and trimming (0.6 is input: * 0.1 = 0.06) remain,
        // equal, so ordered by id: 1 - 0.94 * 0.94 = 0.1164.
        var baseline = new Baseline(true, 0m, 1000, [new ModelUse("local-free", 0.5, 0.6, 900), new ModelUse("gpt-9", 0.5, 0.6, 900)], [], 0.5, 900, 0, []);

        var data = SavingsEstimate.Run(baseline, Catalog(), Goals.None).Data;

        data.Strategies.Select(s => (s.Id, s.SavingsPct)).ShouldBe([("output_cap", 0.06), ("prompt_trimming", 0.06)]);
        data.CombinedSavingsPct.ShouldBe(0.1164);
    }

    [Fact]
    public void An_empty_baseline_saves_nothing()
    {
        var (summary, data) = SavingsEstimate.Run(new Baseline(false, 0m, 0, [], [], 0, 0, 0, []), Catalog(), Goals.None);

        data.Strategies.ShouldAllBe(s => s.SavingsPct == 0);
        data.CombinedSavingsPct.ShouldBe(0);
        data.MonthlyCostAfterUsd.ShouldBe(0m);
        summary.ShouldBe("2 strategies. Together they save 0% of spend, leaving 100% of it.");
    }

    [Fact]
    public void Cost_ratio_weighs_input_and_output_prices_by_the_input_share()
    {
        var catalog = Catalog();
        var (bigA, midA, smallA, free) = (catalog.Find("big-a")!, catalog.Find("mid-a")!, catalog.Find("small-a")!, catalog.Find("local-free")!);

        SavingsEstimate.CostRatio(bigA, midA, 0.5).ShouldBe(0.2, 1e-12);     // 0.5 * 2/10 + 0.5 * 6/30
        SavingsEstimate.CostRatio(bigA, smallA, 0.25).ShouldBe(0.05, 1e-12); // 0.25 * 0.5/10 + 0.75 * 1.5/30
        SavingsEstimate.CostRatio(bigA, free, 0.5).ShouldBe(0);
        SavingsEstimate.CostRatio(free, bigA, 0.5).ShouldBe(0);               // from a free model: no division by zero
    }
}
