using Meridian.Server.Tools;

namespace Meridian.Tests.Tools;

public sealed class LatencySampleTests
{
    [Fact]
    public void Records_of_one_call_each_give_the_plain_percentiles()
    {
        var sample = new LatencySample();
        foreach (var latency in new double[] { 999, 120, 780, 560.44, 340 })
        {
            sample.Add(latency, 1);
        }

        sample.Percentiles().ShouldBe(new LatencyPercentiles(560.4, 999, 999));
    }

    [Fact]
    public void A_record_of_many_calls_after_single_calls_weighs_as_its_calls()
    {
        // Ninety single calls at 10 ms, then one record of ten calls at 500 ms: 100 calls, the slowest ten at 500 ms,
        // so p95 and p99 fall on them while p50 stays at 10 ms. Unweighted, p95 would be 10 ms.
        var sample = new LatencySample();
        for (var i = 0; i < 90; i++)
        {
            sample.Add(10, 1);
        }

        sample.Add(500, 10);

        sample.Percentiles().ShouldBe(new LatencyPercentiles(10, 500, 500));
    }

    [Fact]
    public void Single_calls_after_a_record_of_many_count_once_each()
    {
        // One record of 99 calls at 20 ms, then one call at 900 ms: the 900 ms call is the hundredth, the only one
        // above p99's rank.
        var sample = new LatencySample();
        sample.Add(20, 99);
        sample.Add(900, 1);

        sample.Percentiles().ShouldBe(new LatencyPercentiles(20, 20, 20));
    }
}
