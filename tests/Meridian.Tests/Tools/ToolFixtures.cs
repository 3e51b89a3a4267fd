using Meridian.Server.Pricing;
using Meridian.Server.Workloads;

namespace Meridian.Tests.Tools;

/// <summary>A price catalog and usage records of the tests' own, so every expected figure can be worked out by hand
/// from what is written here.</summary>
internal static class ToolFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// model        provider  in/M  out/M  cached/M  batch  tier  latency  blended (3 in + out) / 4
    /// big-a        alpha     10    30     5         0.5    1     2000     15
    /// big-b        beta      8     24     0         0      1     1800     12
    /// mid-a        alpha     2     6      1         0.5    2     800      3
    /// mid-b        beta      1     3      0.5       0.5    2     600      1.5
    /// small-a      alpha     0.5   1.5    0         0      3     300      0.75
    /// local-free   local     0     0      0         0      3     900      0
    /// </summary>
    public static PriceCatalog Catalog() => new(new DateOnly(2026, 1, 15),
    [
        new ModelPrice("big-a", "alpha", 10m, 30m, 5m, 0.5m, 1, 2000, ["big-a-latest"]),
        new ModelPrice("big-b", "beta", 8m, 24m, 0m, 0m, 1, 1800),
        new ModelPrice("mid-a", "alpha", 2m, 6m, 1m, 0.5m, 2, 800),
        new ModelPrice("mid-b", "beta", 1m, 3m, 0.5m, 0.5m, 2, 600),
        new ModelPrice("small-a", "alpha", 0.5m, 1.5m, 0m, 0m, 3, 300),
        new ModelPrice("local-free", "local", 0m, 0m, 0m, 0m, 3, 900),
    ]);

    public static DateTimeOffset Day(double days) => Start.AddDays(days);

    public static UsageRecord Call(
        DateTimeOffset at, string model, long input, long output, double latencyMs, decimal cost,
        string feature = "chat", bool error = false, string? hash = null) =>
        new(at, model, "test", input, output, latencyMs, cost, error, feature, hash);

    /// <summary>
    /// Eight calls over exactly five days (day 0 00:00 to day 5 00:00).
    /// #  day  model    in    out  latency  cost  feature    status
    /// 1  0    big-a    1000  200  900      2.00  chat       ok
    /// 2  0.5  big-a    3000  400  2500     4.00  search     error
    /// 3  1    mid-a    500   100  300      0.50  search     ok
    /// 4  2    mid-a    1500  300  400      1.50  search     ok
    /// 5  2.5  mid-a    1000  200  350      1.00  summarize  ok
    /// 6  3    big-a    2000  600  1100     3.00  chat       ok
    /// 7  4    small-a  800   100  150      0.25  summarize  error
    /// 8  5    big-a    1200  300  1300     2.75  chat       ok
    /// </summary>
    public static IReadOnlyList<UsageRecord> Week() =>
    [
        Call(Day(0), "big-a", 1000, 200, 900, 2.00m),
        Call(Day(0.5), "big-a", 3000, 400, 2500, 4.00m, "search", error: true),
        Call(Day(1), "mid-a", 500, 100, 300, 0.50m, "search"),
        Call(Day(2), "mid-a", 1500, 300, 400, 1.50m, "search"),
        Call(Day(2.5), "mid-a", 1000, 200, 350, 1.00m, "summarize"),
        Call(Day(3), "big-a", 2000, 600, 1100, 3.00m),
        Call(Day(4), "small-a", 800, 100, 150, 0.25m, "summarize", error: true),
        Call(Day(5), "big-a", 1200, 300, 1300, 2.75m),
    ];
}
