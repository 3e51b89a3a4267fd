using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using static Meridian.Tests.Workloads.WorkloadHarness;

namespace Meridian.Tests.Workloads;

/// <summary>Records that stand for several calls (<c>requests</c>) and cached input tokens, imported over real HTTP
/// into each database (docs/workloads.md#1-record-format).</summary>
public sealed class AggregatedRecordTests
{
    private const string Header = CsvHeader + ",requests,cached_input_tokens";

    // Per call: three ok gpt-4o calls at 100 ms (one prompt, sent three times), two failed gpt-4o calls at 900 ms on
    // another day, four gpt-4o-mini calls at 40 ms with 300 of their 1,000 input tokens served from the cache.
    private static readonly string[] PerCall =
    [
        .. Enumerable.Repeat("2026-11-02T10:00:00Z,gpt-4o,openai,1000,200,100,,ok,chat,h1,1,0", 3),
        .. Enumerable.Repeat("2026-11-03T10:00:00Z,gpt-4o,openai,500,0,900,,error,chat,,1,0", 2),
        .. Enumerable.Repeat("2026-11-03T11:00:00Z,gpt-4o-mini,openai,1000,100,40,,ok,faq,,1,300", 4),
    ];

    // The same calls, one record per group: tokens and cost are totals, latency the mean.
    private static readonly string[] Aggregated =
    [
        "2026-11-02T10:00:00Z,gpt-4o,openai,3000,600,100,,ok,chat,h1,3,0",
        "2026-11-03T10:00:00Z,gpt-4o,openai,1000,0,900,,error,chat,,2,0",
        "2026-11-03T11:00:00Z,gpt-4o-mini,openai,4000,400,40,,ok,faq,,4,1200",
    ];

    private static async Task ImportAsync(WorkloadHarness harness, string user, IEnumerable<string> rows)
    {
        var (response, body) = await harness.ImportAsync(user, Header + "\n" + string.Join("\n", rows) + "\n", "text/csv");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
    }

    /// <summary>The summary without its record counts, which are the only figures the two forms may differ in.</summary>
    private static string WithoutRecordCounts(JsonElement summary)
    {
        var node = JsonNode.Parse(summary.GetRawText())!;
        Strip(node);
        return node.ToJsonString();

        static void Strip(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                o.Remove("records");
                foreach (var (_, child) in o)
                {
                    Strip(child);
                }
            }
            else if (n is JsonArray a)
            {
                foreach (var child in a)
                {
                    Strip(child);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Aggregated_rows_give_the_summary_of_the_equivalent_per_call_rows(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        await ImportAsync(harness, Alice, PerCall);
        await ImportAsync(harness, Bob, Aggregated);

        var perCall = await harness.SummaryAsync(Alice);
        var aggregated = await harness.SummaryAsync(Bob);

        perCall.GetProperty("records").GetInt64().ShouldBe(9);
        aggregated.GetProperty("records").GetInt64().ShouldBe(3);
        aggregated.GetProperty("requests").GetInt64().ShouldBe(9);
        // 2 of 9 calls failed; the mean latency is over calls: (3 × 100 + 2 × 900 + 4 × 40) / 9.
        aggregated.GetProperty("errors").GetInt64().ShouldBe(2);
        aggregated.GetProperty("error_rate").GetDouble().ShouldBe(0.222222);
        aggregated.GetProperty("avg_latency_ms").GetDouble().ShouldBe(251.1);
        aggregated.GetProperty("cached_input_tokens").GetInt64().ShouldBe(1200);
        // gpt-4o: 4,000 input at $2.50/M and 600 output at $10/M = $0.016; gpt-4o-mini: 2,800 uncached input at
        // $0.15/M, 1,200 cached at $0.075/M and 400 output at $0.60/M = $0.00075.
        aggregated.GetProperty("total_cost_usd").GetDecimal().ShouldBe(0.01675m);
        var gpt4o = aggregated.GetProperty("by_model").EnumerateArray().Single(m => m.Text("name") == "gpt-4o");
        (gpt4o.GetProperty("p50_latency_ms").GetDouble(), gpt4o.GetProperty("p95_latency_ms").GetDouble()).ShouldBe((100, 900));
        WithoutRecordCounts(aggregated).ShouldBe(WithoutRecordCounts(perCall));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Requests_and_cached_tokens_are_checked_row_by_row(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var (response, body) = await harness.ImportAsync(Alice, Header + "\n" +
            "2026-11-02T10:00:00Z,gpt-4o,openai,10,10,100,,ok,chat,,0,0\n" +
            "2026-11-02T10:00:00Z,gpt-4o,openai,10,10,100,,ok,chat,,2,11\n" +
            "2026-11-02T10:00:00Z,gpt-4o,openai,250000000,10,100,,ok,chat,,2,0\n" +
            "2026-11-02T10:00:00Z,gpt-4o,openai,150000000,10,100,,ok,chat,,2,0\n", "text/csv", "?skip_invalid=true");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("imported").GetInt64().ShouldBe(1);
        var problems = body.GetProperty("row_errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt64(), e.Text("field"))).ToList();
        problems.ShouldBe([(2L, "requests"), (3L, "cached_input_tokens"), (4L, "input_tokens")]);
    }
}
