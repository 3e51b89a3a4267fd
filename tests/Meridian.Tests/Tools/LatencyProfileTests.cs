using Meridian.Server.Tools;
using Meridian.Server.Workloads;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

public sealed class LatencyProfileTests
{
    /// <summary>
    /// Twenty calls: call i takes i * 100 ms; calls 1-10 are mid-a, 11-20 big-a; calls 4, 12 and 20 failed.
    /// Hours (UTC): 02 -> 1 11 20; 09 -> 2 5 12 15 18; 14 -> 3 6 8 10 13 16 17 19; 20 -> 4 7 9 14.
    /// Call 3 is stamped 16:30+02:00 and call 9 15:10-05:00, so counting local hours would put them at 16 and 15.
    /// </summary>
    private static List<UsageRecord> Day20() =>
    [
        At(1, 2), At(11, 2, day: 1), At(20, 2, error: true),
        At(2, 9), At(5, 9), At(12, 9, error: true), At(15, 9, day: 1), At(18, 9),
        Call(new DateTimeOffset(2026, 3, 2, 16, 30, 0, TimeSpan.FromHours(2)), "mid-a", 1000, 100, 300, 0.01m),
        At(6, 14), At(8, 14, day: 1), At(10, 14), At(13, 14), At(16, 14), At(17, 14, day: 1), At(19, 14),
        At(4, 20, error: true), At(7, 20),
        Call(new DateTimeOffset(2026, 3, 2, 15, 10, 0, TimeSpan.FromHours(-5)), "mid-a", 1000, 100, 900, 0.01m),
        At(14, 20, day: 1),
    ];

    [Fact]
    public void Nearest_rank_percentiles_overall_and_per_model()
    {
        // Overall 100..2000: p50 rank ceil(0.5 * 20) = 10 -> 1000; p95 rank 19 -> 1900; p99 rank ceil(19.8) = 20 -> 2000.
        // mid-a 100..1000: p50 rank 5 -> 500; p95 rank ceil(9.5) = 10 -> 1000; p99 rank 10 -> 1000.
        // big-a 1100..2000: p50 1500; p95 2000; p99 2000.
        var data = LatencyProfile.Run(Day20()).Data;

        data.Overall.ShouldBe(new LatencyPercentiles(1000, 1900, 2000));
        data.ByModel.Keys.ShouldBe(["big-a", "mid-a"]);
        data.ByModel["mid-a"].ShouldBe(new LatencyPercentiles(500, 1000, 1000));
        data.ByModel["big-a"].ShouldBe(new LatencyPercentiles(1500, 2000, 2000));
    }

    [Fact]
    public void Error_rate_and_hour_of_day_pattern_in_utc()
    {
        // 3 errors in 20: 15%. Peak 14:00 with 8 calls; the hourly average is 20 / 24, so 8 / (20 / 24) = 9.6.
        var (summary, data) = LatencyProfile.Run(Day20());

        data.ErrorRate.ShouldBe(0.15);
        data.CallsByHour.Count.ShouldBe(24);
        data.CallsByHour[2].ShouldBe(3);
        data.CallsByHour[9].ShouldBe(5);
        data.CallsByHour[14].ShouldBe(8);
        data.CallsByHour[20].ShouldBe(4);
        data.CallsByHour.Sum().ShouldBe(20);
        data.PeakHour.ShouldBe(14);
        data.PeakToAverage.ShouldBe(9.6);
        summary.ShouldBe("Latency p50 1.0 s, p95 1.9 s, p99 2.0 s; error rate 15%. Busiest hour 14:00 UTC at 9.6× the hourly average.");
        summary.ShouldContain($"p50 {Figures.Ms(data.Overall.P50Ms)}, p95 {Figures.Ms(data.Overall.P95Ms)}, p99 {Figures.Ms(data.Overall.P99Ms)}; error rate {Figures.Pct(data.ErrorRate)}.");
    }

    [Fact]
    public void The_earliest_of_equally_busy_hours_is_the_peak()
    {
        // Two calls at 03:00 and two at 01:00: peak 01:00 at 2 / (4 / 24) = 12 times the average.
        var (summary, data) = LatencyProfile.Run([At(1, 3), At(2, 3), At(3, 1), At(4, 1)]);

        data.PeakHour.ShouldBe(1);
        data.PeakToAverage.ShouldBe(12);
        summary.ShouldEndWith("Busiest hour 01:00 UTC at 12× the hourly average.");
    }

    [Fact]
    public void A_single_call_is_every_percentile()
    {
        var (summary, data) = LatencyProfile.Run([Call(Day(0).AddHours(23), "gpt-9", 10, 10, 750, 0m, error: true)]);

        data.Overall.ShouldBe(new LatencyPercentiles(750, 750, 750));
        data.ByModel["gpt-9"].ShouldBe(data.Overall);
        data.PeakHour.ShouldBe(23);
        data.PeakToAverage.ShouldBe(24);
        summary.ShouldBe("Latency p50 750 ms, p95 750 ms, p99 750 ms; error rate 100%. Busiest hour 23:00 UTC at 24× the hourly average.");
    }

    [Fact]
    public void No_records_profile_to_nothing()
    {
        var (summary, data) = LatencyProfile.Run([]);

        summary.ShouldBe("No usage records to profile.");
        data.Overall.ShouldBe(LatencyPercentiles.None);
        data.ByModel.ShouldBeEmpty();
        data.CallsByHour.ShouldBe(new long[24]);
        data.ErrorRate.ShouldBe(0);
    }

    private static UsageRecord At(int call, int hour, int day = 0, bool error = false) =>
        Call(Day(day).AddHours(hour).AddMinutes(call), call <= 10 ? "mid-a" : "big-a", 1000, 100, call * 100, 0.01m, error: error);
}
