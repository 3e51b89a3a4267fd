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

    [Fact]
    public void Selection_finds_the_same_ranks_as_sorting_on_random_sorted_reversed_and_repetitive_input()
    {
        var random = new Random(1234);
        for (var round = 0; round < 2000; round++)
        {
            var length = 1 + random.Next(round % 10 == 0 ? 5000 : 200);
            var distinct = 1 + random.Next(round % 3 == 0 ? 4 : 10_000);
            var values = Enumerable.Range(0, length).Select(_ => (double)random.Next(distinct)).ToArray();
            if (round % 7 == 0)
            {
                Array.Sort(values);
            }
            else if (round % 7 == 1)
            {
                Array.Sort(values);
                Array.Reverse(values);
            }

            var sorted = values.Order().ToArray();
            double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * length) - 1, 0, length - 1)];

            LatencyPercentiles.Of([.. values]).ShouldBe(new LatencyPercentiles(Rank(0.50), Rank(0.95), Rank(0.99)), $"round {round}, {length} values");
        }
    }
}
