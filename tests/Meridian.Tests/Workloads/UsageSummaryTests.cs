using System.Net;
using System.Text.Json;
using Meridian.Server.Storage;
using Meridian.Server.Tools;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using static Meridian.Tests.Workloads.WorkloadHarness;

namespace Meridian.Tests.Workloads;

/// <summary>The summary's per-day breakdown and per-model latency percentiles (docs/workloads.md), computed by each
/// database over real HTTP.</summary>
public sealed class UsageSummaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task ImportAsync(WorkloadHarness harness, string user, IEnumerable<string> rows)
    {
        var (response, body) = await harness.ImportAsync(user, CsvHeader + "\n" + string.Join("\n", rows) + "\n", "text/csv");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
    }

    private static List<(string Date, string Model, string Provider, long Records, decimal CostUsd, long Errors)> Days(JsonElement summary) =>
        [.. summary.GetProperty("by_day").EnumerateArray().Select(d => (
            d.Text("date"), d.Text("model"), d.Text("provider"), d.GetProperty("records").GetInt64(),
            d.GetProperty("cost_usd").GetDecimal(), d.GetProperty("errors").GetInt64()))];

    private static Dictionary<string, (double P50, double P95, double P99)> Percentiles(JsonElement summary) =>
        summary.GetProperty("by_model").EnumerateArray().ToDictionary(m => m.Text("name"), m => (
            m.GetProperty("p50_latency_ms").GetDouble(), m.GetProperty("p95_latency_ms").GetDouble(), m.GetProperty("p99_latency_ms").GetDouble()));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task By_day_has_one_row_per_utc_day_and_model_in_date_then_model_order(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        await ImportAsync(harness, Alice, [
            "2026-11-03T12:00:00Z,gpt-4o-mini,openai,10,10,100,0.125,ok,chat,",
            "2026-11-01T00:00:00.000Z,gpt-4o,openai,10,10,100,0.5,ok,chat,",
            "2026-11-01T23:59:59.999Z,gpt-4o,openai,10,10,100,0.25,error,chat,",
            "2026-11-01T09:00:00+05:00,gpt-4o-mini,openai,10,10,100,0.03125,ok,chat,",
            "2026-11-02T00:00:00.000Z,gpt-4o,openai,10,10,100,1,error,chat,",
            "2026-11-03T01:00:00Z,gpt-4o,openai,10,10,100,2,ok,faq,",
            "2026-11-03T02:00:00Z,gpt-4o,openai,10,10,100,0.75,error,faq,",
            "2026-11-02T23:30:00-01:00,gpt-4o-mini,openai,10,10,100,0.0625,ok,chat,",
        ]);

        var summary = await harness.SummaryAsync(Alice);

        Days(summary).ShouldBe([
            ("2026-11-01", "gpt-4o", "openai", 2L, 0.75m, 1L),
            ("2026-11-01", "gpt-4o-mini", "openai", 1L, 0.03125m, 0L),
            ("2026-11-02", "gpt-4o", "openai", 1L, 1m, 1L),
            ("2026-11-03", "gpt-4o", "openai", 2L, 2.75m, 1L),
            ("2026-11-03", "gpt-4o-mini", "openai", 2L, 0.1875m, 0L),
        ]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_record_before_1970_falls_on_its_own_utc_day(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        await ImportAsync(harness, Alice, [
            "1969-12-31T23:59:59.999Z,gpt-4o,openai,10,10,100,1,ok,chat,",
            "1969-12-31T00:00:00.000Z,gpt-4o,openai,10,10,100,1,ok,chat,",
            "1969-12-30T23:59:59.999Z,gpt-4o,openai,10,10,100,1,ok,chat,",
            "1970-01-01T00:00:00.000Z,gpt-4o,openai,10,10,100,1,ok,chat,",
        ]);

        var summary = await harness.SummaryAsync(Alice);

        Days(summary).Select(d => (d.Date, d.Records)).ShouldBe([("1969-12-30", 1L), ("1969-12-31", 2L), ("1970-01-01", 1L)]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_model_has_its_nearest_rank_latency_percentiles(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        // gpt-4o: 1..100 ms, imported out of order; gpt-4o-mini: 10, 20, ... 200 ms (ranks 10, 19 and 20 of 20);
        // claude-haiku-4-5: one record, every percentile is it.
        var shuffled = Enumerable.Range(1, 100).OrderBy(i => (i * 37) % 101).ToList();
        await ImportAsync(harness, Alice, [
            .. shuffled.Select(ms => $"2026-11-01T10:00:00Z,gpt-4o,openai,10,10,{ms},0.01,ok,chat,"),
            .. Enumerable.Range(1, 20).Reverse().Select(i => $"2026-11-02T10:00:00Z,gpt-4o-mini,openai,10,10,{i * 10},0.001,ok,chat,"),
            "2026-11-02T10:00:00Z,claude-haiku-4-5,anthropic,10,10,1234.56,0.001,ok,chat,",
        ]);

        var summary = await harness.SummaryAsync(Alice);

        var percentiles = Percentiles(summary);
        percentiles["gpt-4o"].ShouldBe((50, 95, 99));
        percentiles["gpt-4o-mini"].ShouldBe((100, 190, 200));
        percentiles["claude-haiku-4-5"].ShouldBe((1234.6, 1234.6, 1234.6));
        summary.GetProperty("by_feature")[0].GetProperty("p50_latency_ms").ValueKind.ShouldBe(JsonValueKind.Null, "features have no percentiles");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_percentiles_are_the_ones_latency_profile_gives_for_the_same_records(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var (response, body) = await harness.SyntheticAsync(Alice, new { profile = "rag", days = 3, calls_per_day = 700, seed = 7, end_date = "2026-11-20" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());

        var summary = await harness.SummaryAsync(Alice);

        var profile = LatencyProfile.Run(await harness.Store.LoadAsync(Alice, Ct)).Data.ByModel;
        var percentiles = Percentiles(summary);
        percentiles.Count.ShouldBeGreaterThan(1);
        percentiles.Keys.Order(StringComparer.Ordinal).ShouldBe(profile.Keys.Order(StringComparer.Ordinal));
        foreach (var (model, p) in profile)
        {
            percentiles[model].ShouldBe((p.P50Ms, p.P95Ms, p.P99Ms), model);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_user_sees_only_their_own_days_and_percentiles(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        await ImportAsync(harness, Alice, ["2026-11-01T10:00:00Z,gpt-4o,openai,10,10,100,1,ok,chat,"]);
        await ImportAsync(harness, Bob, [
            .. Enumerable.Range(1, 5).Select(_ => "2026-11-01T11:00:00Z,gpt-4o,openai,10,10,90000,7,error,chat,"),
            "2026-11-02T10:00:00Z,gpt-4o-mini,openai,10,10,5,3,ok,chat,",
        ]);

        var alice = await harness.SummaryAsync(Alice);
        var bob = await harness.SummaryAsync(Bob);

        Days(alice).ShouldBe([("2026-11-01", "gpt-4o", "openai", 1L, 1m, 0L)]);
        Percentiles(alice).ShouldBe(new Dictionary<string, (double, double, double)> { ["gpt-4o"] = (100, 100, 100) });
        Days(bob).ShouldBe([("2026-11-01", "gpt-4o", "openai", 5L, 35m, 5L), ("2026-11-02", "gpt-4o-mini", "openai", 1L, 3m, 0L)]);
        Percentiles(bob)["gpt-4o"].ShouldBe((90000, 90000, 90000));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_empty_store_has_no_days_and_no_model_groups(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);

        var summary = await harness.SummaryAsync(Alice);

        summary.GetProperty("by_day").ValueKind.ShouldBe(JsonValueKind.Array);
        summary.GetProperty("by_day").GetArrayLength().ShouldBe(0);
        summary.GetProperty("by_model").GetArrayLength().ShouldBe(0);
        summary.GetProperty("avg_latency_ms").GetDouble().ShouldBe(0);
    }
}
