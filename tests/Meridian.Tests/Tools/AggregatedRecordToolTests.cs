using System.Text.Json;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

/// <summary>Every analysis tool weighs a record of several calls as that many calls (docs/workloads.md#1-record-format):
/// the same traffic given call by call or aggregated gives the same figures.</summary>
public sealed class AggregatedRecordToolTests
{
    // Per call: big-a at 2000 ms, four calls of one prompt (cost 1 each); mid-a at 300 ms, two failed calls with 400 of
    // 1,000 input tokens cached; small-a, one call at 5000 ms five days later.
    private static readonly UsageRecord[] PerCall =
    [
        .. Enumerable.Repeat(new UsageRecord(Day(0), "big-a", "alpha", 1000, 100, 2000, 1m, false, "chat", "p1"), 4),
        .. Enumerable.Repeat(new UsageRecord(Day(1), "mid-a", "alpha", 1000, 50, 300, 0.5m, true, "batch", null, 1, 400), 2),
        new UsageRecord(Day(5), "small-a", "alpha", 100, 10, 5000, 0.25m, false, "chat", "p2"),
    ];

    // The same calls aggregated.
    private static readonly UsageRecord[] Aggregated =
    [
        new UsageRecord(Day(0), "big-a", "alpha", 4000, 400, 2000, 4m, false, "chat", "p1", 4),
        new UsageRecord(Day(1), "mid-a", "alpha", 2000, 100, 300, 1m, true, "batch", null, 2, 800),
        new UsageRecord(Day(5), "small-a", "alpha", 100, 10, 5000, 0.25m, false, "chat", "p2"),
    ];

    private static readonly JsonSerializerOptions Normalised = new() { Converters = { new ScaleFreeDecimal() } };

    /// <summary>Results hold lists, which records compare by reference: compare what a client would receive, with
    /// amounts compared by value (a sum of 0.5 and 0.5 is 1.0, an aggregated record's cost may be 1).</summary>
    private static string Json<T>(ToolResult<T> result) => JsonSerializer.Serialize(result, Normalised);

    private sealed class ScaleFreeDecimal : System.Text.Json.Serialization.JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value / 1.0000000000000000000000000000m);
    }

    [Fact]
    public void Usage_query_counts_calls()
    {
        var perCall = UsageQuery.Run(PerCall, UsageFilter.All);
        var aggregated = UsageQuery.Run(Aggregated, UsageFilter.All);

        aggregated.Data.Calls.ShouldBe(7);
        aggregated.Data.Records.ShouldBe(3);
        aggregated.Data.ErrorRate.ShouldBe(Figures.Round(2 / 7.0));
        aggregated.Data.ShouldBe(perCall.Data with { Records = 3 });
        aggregated.Summary.ShouldBe(perCall.Summary);
    }

    [Fact]
    public void Cost_breakdown_latency_profile_and_cache_opportunity_weigh_records_by_their_calls()
    {
        Json(CostBreakdown.Run(Aggregated)).ShouldBe(Json(CostBreakdown.Run(PerCall)));
        var latency = LatencyProfile.Run(Aggregated);
        latency.Data.Overall.ShouldBe(new LatencyPercentiles(2000, 5000, 5000));
        latency.Data.CallsByHour.Sum().ShouldBe(7);
        Json(latency).ShouldBe(Json(LatencyProfile.Run(PerCall)));
        // Three of the four p1 calls repeat the first: 3,000 input tokens, cost 3.
        var cache = CacheOpportunity.Run(Aggregated, Catalog());
        (cache.Data.CallsWithHash, cache.Data.RepeatedCalls, cache.Data.RepeatedInputTokens).ShouldBe((5L, 3L, 3000L));
        Json(cache).ShouldBe(Json(CacheOpportunity.Run(PerCall, Catalog())));
    }
}
