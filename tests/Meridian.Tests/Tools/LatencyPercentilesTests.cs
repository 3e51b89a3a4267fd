using Meridian.Server.Tools;

namespace Meridian.Tests.Tools;

public sealed class LatencyPercentilesTests
{
    [Fact]
    public void Nearest_rank_of_a_hundred_values()
    {
        // 1..100 shuffled: rank ceil(p * 100) is the value itself.
        var values = Enumerable.Range(1, 100).Select(i => (double)(i * 37 % 101)).ToArray();

        LatencyPercentiles.Of(values).ShouldBe(new LatencyPercentiles(50, 95, 99));
    }

    [Fact]
    public void Nearest_rank_of_five_values_picks_a_value_without_interpolating()
    {
        // Sorted 120 340 560.44 780 999: p50 rank ceil(2.5) = 3 -> 560.44 -> 560.4 (one decimal); p95 rank ceil(4.75) = 5 -> 999;
        // p99 rank ceil(4.95) = 5 -> 999. Interpolating would give p95 954.6.
        LatencyPercentiles.Of([999, 120, 780, 560.44, 340]).ShouldBe(new LatencyPercentiles(560.4, 999, 999));
    }

    [Fact]
    public void No_values_are_zero()
    {
        LatencyPercentiles.Of([]).ShouldBe(LatencyPercentiles.None);
        LatencyPercentiles.None.ShouldBe(new LatencyPercentiles(0, 0, 0));
    }
}
