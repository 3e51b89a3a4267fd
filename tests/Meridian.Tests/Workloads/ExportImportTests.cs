using System.Net;
using System.Text.Json;
using Meridian.Server.Pricing;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;
using static Meridian.Tests.Workloads.WorkloadHarness;

namespace Meridian.Tests.Workloads;

/// <summary>The exports of other tools (LiteLLM spend logs, Langfuse observations, OpenAI's and Anthropic's usage
/// exports), each from a fixture written from the tool's documented shape, imported over real HTTP and told from
/// their content (docs/workloads.md#5-exports-of-other-tools).</summary>
public sealed class ExportImportTests
{
    private static string Fixture(string name) => File.ReadAllText(RepositoryRoot.Path("tests", "Meridian.Tests", "Workloads", "Fixtures", name));

    /// <summary>A list price computed here from the catalog's figures, as docs/workloads.md#1-record-format states it.</summary>
    private static decimal ListPrice(WorkloadHarness harness, string model, long input, long output, long cached)
    {
        var price = harness.Server.Service<PriceCatalog>().Find(model).ShouldNotBeNull();
        return ((input - cached) * price.InputPerMillion + cached * price.CachedInputPerMillion + output * price.OutputPerMillion) / 1_000_000m;
    }

    private static async Task<JsonElement> ImportAsync(WorkloadHarness harness, string fixture, string contentType, string format, string query = "")
    {
        var (response, body) = await harness.ImportAsync(Alice, Fixture(fixture), contentType, query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("format").GetString().ShouldBe(format);
        return body;
    }

    private static void Totals(JsonElement summary, long records, long requests, long input, long cached, long output, decimal cost, long errors = 0)
    {
        summary.GetProperty("records").GetInt64().ShouldBe(records);
        summary.GetProperty("requests").GetInt64().ShouldBe(requests);
        summary.GetProperty("input_tokens").GetInt64().ShouldBe(input);
        summary.GetProperty("cached_input_tokens").GetInt64().ShouldBe(cached);
        summary.GetProperty("output_tokens").GetInt64().ShouldBe(output);
        summary.GetProperty("total_cost_usd").GetDecimal().ShouldBe(Math.Round(cost, 6));
        summary.GetProperty("errors").GetInt64().ShouldBe(errors);
    }

    private static JsonElement Group(JsonElement summary, string list, string name) =>
        summary.GetProperty(list).EnumerateArray().Single(g => g.GetProperty("name").GetString() == name);

    // LiteLLM writes small spends in exponent notation (5.4e-05), as Python prints floats.
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LiteLlm_spend_logs_import_from_the_api_answer_with_spend_as_cost_and_latency_from_start_to_end(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var body = await ImportAsync(harness, "litellm-spend-logs.json", "application/json", "litellm");
        body.GetProperty("imported").GetInt64().ShouldBe(3);

        var summary = await harness.SummaryAsync(Alice);
        Totals(summary, records: 3, requests: 3, input: 7800, cached: 4600, output: 675, cost: 0.00725m + 0.0213m + 0.000054m, errors: 1);
        Group(summary, "by_model", "gpt-4o-2024-08-06").GetProperty("p50_latency_ms").GetDouble().ShouldBe(2260);
        Group(summary, "by_model", "claude-sonnet-4-5-20250929").GetProperty("provider").GetString().ShouldBe("anthropic");
        Group(summary, "by_model", "gpt-4o-mini").GetProperty("p50_latency_ms").GetDouble().ShouldBe(30000);
        // The feature: a feature: tag, else the team's alias, else the team id.
        summary.GetProperty("by_feature").EnumerateArray().Select(g => g.GetProperty("name").GetString()).Order()
            .ShouldBe(["doc_qa", "support_chat", "team-faq"]);
    }

    [Fact]
    public async Task LiteLlm_spend_logs_import_from_a_csv_export_of_the_table_as_from_the_api()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var (response, body) = await harness.UploadAsync(Alice, Fixture("litellm-spend-logs.csv"), "LiteLLM_SpendLogs.csv");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("format").GetString().ShouldBe("litellm");
        await ImportAsync(harness, "litellm-spend-logs.json", "application/json", "litellm", "?replace=true&format=litellm");

        var fromJson = await harness.SummaryAsync(Alice);
        Totals(fromJson, records: 3, requests: 3, input: 7800, cached: 4600, output: 675, cost: 0.028604m, errors: 1);
        await harness.SendAsync(Alice, HttpMethod.Delete, "/api/workloads");
        (response, body) = await harness.ImportAsync(Alice, Fixture("litellm-spend-logs.csv"), "text/csv", "?format=litellm");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        (await harness.SummaryAsync(Alice)).GetRawText().ShouldBe(fromJson.GetRawText());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Langfuse_generations_import_and_its_spans_and_events_are_passed_over_and_counted(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var body = await ImportAsync(harness, "langfuse-observations.json", "application/json", "langfuse");
        body.GetProperty("imported").GetInt64().ShouldBe(3);
        body.GetProperty("ignored").GetInt64().ShouldBe(2);
        body.GetProperty("error_count").GetInt64().ShouldBe(0);

        var summary = await harness.SummaryAsync(Alice);
        var haiku = ListPrice(harness, "claude-haiku-4-5", input: 2800, output: 150, cached: 2000);
        var mini = ListPrice(harness, "gpt-4o-mini", input: 500, output: 0, cached: 0);
        Totals(summary, records: 3, requests: 3, input: 1600 + 2800 + 500, cached: 400 + 2000, output: 450, cost: 0.0065m + haiku + mini, errors: 1);
        Group(summary, "by_model", "gpt-4o-2024-08-06").GetProperty("p50_latency_ms").GetDouble().ShouldBe(1850);
        // The failed generation has no end time: its latency is unknown, not 0 ms.
        Group(summary, "by_model", "gpt-4o-mini").GetProperty("p50_latency_ms").ValueKind.ShouldBe(JsonValueKind.Null);
        summary.GetProperty("avg_latency_ms").GetDouble().ShouldBe((1850 + 950) / 2.0);
        Group(summary, "by_feature", "summarize-ticket").GetProperty("requests").GetInt64().ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_openai_usage_export_of_several_pages_imports_one_aggregated_record_per_result_priced_from_the_catalog(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var body = await ImportAsync(harness, "openai-usage-pages.json", "application/json", "openai-usage");
        body.GetProperty("imported").GetInt64().ShouldBe(3);

        var summary = await harness.SummaryAsync(Alice);
        var cost = ListPrice(harness, "gpt-4o", 3000, 600, 0) + ListPrice(harness, "gpt-4o-mini", 4000, 400, 1200) + ListPrice(harness, "gpt-4o", 1000, 100, 0);
        Totals(summary, records: 3, requests: 9, input: 8000, cached: 1200, output: 1100, cost: cost);
        summary.GetProperty("first_timestamp").GetString().ShouldBe("2026-11-20T00:00:00.000Z");
        Group(summary, "by_feature", "proj_support").GetProperty("requests").GetInt64().ShouldBe(5);
        // No latency in the export: unknown, so no percentile and no mean rather than 0 ms.
        Group(summary, "by_model", "gpt-4o-2024-08-06").GetProperty("p95_latency_ms").ValueKind.ShouldBe(JsonValueKind.Null);
        summary.GetProperty("avg_latency_ms").GetDouble().ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_anthropic_usage_report_imports_one_record_per_result_with_cache_writes_and_reads_in_the_input(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var body = await ImportAsync(harness, "anthropic-usage.json", "application/json", "anthropic-usage");
        body.GetProperty("imported").GetInt64().ShouldBe(3);

        var summary = await harness.SummaryAsync(Alice);
        var cost = ListPrice(harness, "claude-sonnet-4-5", 45_000, 4000, 30_000) + ListPrice(harness, "claude-haiku-4-5", 50_000, 9000, 0)
            + ListPrice(harness, "claude-sonnet-4-5", 18_500, 2500, 10_000);
        Totals(summary, records: 3, requests: 3, input: 45_000 + 50_000 + 18_500, cached: 40_000, output: 15_500, cost: cost);
        Group(summary, "by_feature", "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ").GetProperty("requests").GetInt64().ShouldBe(2);
        Group(summary, "by_feature", "default").GetProperty("requests").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task An_openai_usage_export_gives_the_summary_totals_of_the_equivalent_per_call_rows()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        await ImportAsync(harness, "openai-usage-pages.json", "application/json", "openai-usage");
        string[] perCall =
        [
            .. Enumerable.Repeat("2026-11-20T00:00:00Z,gpt-4o-2024-08-06,openai,1000,200,700,,ok,proj_support,,1,0", 3),
            .. Enumerable.Repeat("2026-11-20T00:00:00Z,gpt-4o-mini-2024-07-18,openai,1000,100,300,,ok,proj_faq,,1,300", 4),
            .. Enumerable.Repeat("2026-11-21T00:00:00Z,gpt-4o-2024-08-06,openai,500,50,700,,ok,proj_support,,1,0", 2),
        ];
        var (response, body) = await harness.ImportAsync(Bob, CsvHeader + ",requests,cached_input_tokens\n" + string.Join("\n", perCall), "text/csv");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());

        var export = await harness.SummaryAsync(Alice);
        var calls = await harness.SummaryAsync(Bob);
        foreach (var total in new[] { "requests", "input_tokens", "cached_input_tokens", "output_tokens", "errors", "total_cost_usd", "first_timestamp", "last_timestamp" })
        {
            export.GetProperty(total).GetRawText().ShouldBe(calls.GetProperty(total).GetRawText(), total);
        }

        // By day the record counts differ (one record per result, one per call); everything else is the same.
        static string Days(JsonElement summary) => string.Join("\n", summary.GetProperty("by_day").EnumerateArray().Select(d =>
            $"{d.GetProperty("date")} {d.GetProperty("model")} {d.GetProperty("provider")} {d.GetProperty("requests")} {d.GetProperty("cost_usd")} {d.GetProperty("errors")}"));
        Days(export).ShouldBe(Days(calls));
    }

    [Fact]
    public async Task Each_export_is_told_by_its_content_whatever_the_content_type_and_by_format_whatever_it_looks_like()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        foreach (var (fixture, format) in new[]
        {
            ("litellm-spend-logs.json", "litellm"), ("litellm-spend-logs.csv", "litellm"), ("langfuse-observations.json", "langfuse"),
            ("openai-usage-pages.json", "openai-usage"), ("anthropic-usage.json", "anthropic-usage"),
        })
        {
            // Sent as plain text (no format of its own), as a file upload without a telling name, and named explicitly.
            await ImportAsync(harness, fixture, "text/plain", format, "?replace=true");
            var (uploaded, body) = await harness.UploadAsync(Alice, Fixture(fixture), "export.txt", "?replace=true");
            uploaded.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
            body.GetProperty("format").GetString().ShouldBe(format);
            await ImportAsync(harness, fixture, "application/octet-stream", format, $"?replace=true&format={format}");
        }
    }

    [Fact]
    public async Task Pages_as_json_lines_and_observations_as_json_lines_are_read_too()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var pages = JsonDocument.Parse(Fixture("openai-usage-pages.json")).RootElement.EnumerateArray().Select(p => p.GetRawText());
        var (response, body) = await harness.ImportAsync(Alice, string.Join("\n", pages) + "\n", "application/x-ndjson");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("format").GetString().ShouldBe("openai-usage");
        body.GetProperty("imported").GetInt64().ShouldBe(3);

        var observations = JsonDocument.Parse(Fixture("langfuse-observations.json")).RootElement.GetProperty("data").EnumerateArray().Select(o => o.GetRawText());
        (response, body) = await harness.ImportAsync(Bob, string.Join("\n", observations), "application/x-ndjson");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("format").GetString().ShouldBe("langfuse");
        body.GetProperty("imported").GetInt64().ShouldBe(3);
        body.GetProperty("ignored").GetInt64().ShouldBe(2);
    }
}
