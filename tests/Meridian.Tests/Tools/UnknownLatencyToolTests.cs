using Meridian.Server.Tools;
using Meridian.Server.Workloads;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

/// <summary>Records whose latency is unknown (a provider's usage export) count as calls, tokens and cost, but not in
/// latency percentiles: they are left out, never counted as 0 ms (docs/workloads.md#12-unknown-latency).</summary>
public sealed class UnknownLatencyToolTests
{
    private static readonly UsageRecord[] Known =
    [
        new(Day(0), "big-a", "alpha", 1000, 100, 800, 1m, false, "chat", null),
        new(Day(0), "big-a", "alpha", 1000, 100, 1200, 1m, false, "chat", null),
        new(Day(1), "big-a", "alpha", 1000, 100, 3000, 1m, true, "chat", null),
    ];

    // The same model's usage from an export without latencies: 500 calls, far more than the three timed ones.
    private static readonly UsageRecord Unknown = new(Day(1), "big-a", "alpha", 500_000, 50_000, null, 500m, false, "chat", null, 500);

    [Fact]
    public void Latency_profile_leaves_calls_of_unknown_latency_out_of_its_percentiles_but_counts_them_as_calls()
    {
        var timed = LatencyProfile.Run(Known).Data;
        var all = LatencyProfile.Run([.. Known, Unknown]).Data;

        all.Overall.ShouldBe(timed.Overall);
        all.ByModel["big-a"].ShouldBe(timed.ByModel["big-a"]);
        all.Overall.P50Ms.ShouldBe(1200);
        all.CallsByHour.Sum().ShouldBe(503);
        all.ErrorRate.ShouldBe(Figures.Round(1 / 503.0));
    }

    [Fact]
    public void Cost_breakdown_takes_its_p95_from_the_calls_of_known_latency_only()
    {
        var slice = CostBreakdown.Run([.. Known, Unknown]).Data.ByModel.ShouldHaveSingleItem();

        slice.Calls.ShouldBe(503);
        slice.P95LatencyMs.ShouldBe(3000);
        CostBreakdown.Run([Unknown]).Data.ByModel.ShouldHaveSingleItem().P95LatencyMs.ShouldBe(0);
    }
}
