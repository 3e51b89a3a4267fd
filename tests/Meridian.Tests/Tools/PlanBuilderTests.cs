using Meridian.Server.Tools;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

public sealed class PlanBuilderTests
{
    /// <summary>The strategies of <see cref="SavingsEstimateTests.TenThousand"/> ($10,000 a month), shuffled, with one of a
    /// type no plan template knows.</summary>
    private static List<Strategy> Shuffled() =>
    [
        Make("route_mid_b", "model_routing", 0.12, 1200m),
        Make("capacity_headroom", "capacity", 0, 0m),
        Make("telepathy", "mind_reading", 0.05, 500m),
        Make("output_cap", "output_cap", 0.0615, 615m),
        Make("route_big_a", "model_routing", 0.192, 1920m),
        Make("streaming_parallelism", "latency", 0, 0m),
        Make("batch_api", "batch", 0.15, 1500m),
        Make("prompt_trimming", "prompt_trimming", 0.059, 590m),
        Make("prompt_caching", "caching", 0.0675, 675m),
    ];

    [Fact]
    public void Cheap_safe_steps_first_then_routing_latency_and_capacity()
    {
        // Order of types: caching, output cap, trimming, batch, routing (larger saving first), latency, capacity.
        // The unknown type has no step.
        var (summary, data) = PlanBuilder.Run(Shuffled());

        data.Steps.Select(s => (s.Order, s.StrategyId)).ShouldBe(
        [
            (1, "prompt_caching"), (2, "output_cap"), (3, "prompt_trimming"), (4, "batch_api"),
            (5, "route_big_a"), (6, "route_mid_b"), (7, "streaming_parallelism"), (8, "capacity_headroom"),
        ]);
        var first = data.Steps[0];
        first.Action.ShouldBe("prompt_caching strategy");
        first.OwnerRole.ShouldBe("backend engineer");
        first.Effort.ShouldBe("1-2 days");
        first.ConfigChanges.Count.ShouldBe(2);
        first.Rollback.ShouldBe("undo prompt_caching");
        summary.ShouldStartWith("8 steps, cheapest and safest first: 1) prompt_caching strategy (backend engineer, 1-2 days); 2) output_cap strategy (backend engineer, half a day);");
        summary.ShouldEndWith("8) capacity_headroom strategy (platform engineer, 1 week).");
    }

    [Fact]
    public void The_plan_saves_what_its_strategies_save_together()
    {
        // The planned strategies compound as savings_estimate combines them, not add up ($6,500):
        // 10000 * (1 - 0.808 * 0.85 * 0.88 * 0.9325 * 0.9385 * 0.941) = 5022.79 -> $5,023. The unplanned $500 does not count.
        PlanBuilder.Run(Shuffled()).Data.MonthlySavingsUsd.ShouldBe(5023m);
    }

    [Fact]
    public void The_plan_of_an_estimate_saves_the_estimated_total()
    {
        var estimate = SavingsEstimate.Run(SavingsEstimateTests.TenThousand(), Catalog(), Goals.None).Data;

        var plan = PlanBuilder.Run(estimate.Strategies).Data;

        plan.Steps.Count.ShouldBe(estimate.Strategies.Count);
        plan.MonthlySavingsUsd.ShouldBe(estimate.CombinedMonthlySavingsUsd);
    }

    [Fact]
    public void Nothing_to_plan()
    {
        foreach (var strategies in new List<Strategy>[] { [], [Make("telepathy", "mind_reading", 0.05, 500m)] })
        {
            var (summary, data) = PlanBuilder.Run(strategies);

            summary.ShouldBe("No strategy to plan.");
            data.Steps.ShouldBeEmpty();
            data.MonthlySavingsUsd.ShouldBe(0m);
        }
    }

    private static Strategy Make(string id, string type, double pct, decimal usd) =>
        new(id, $"{id} strategy", type, usd, pct, "same", "low", "low", $"undo {id}", "test");
}
