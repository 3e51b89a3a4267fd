using System.Net;
using System.Text.Json;
using Meridian.Server.Storage;
using static Meridian.Tests.Workloads.WorkloadHarness;

namespace Meridian.Tests.Workloads;

/// <summary>Bad rows in the exports of other tools, and exports named with the wrong format: problems with their
/// line, the row's position and the export's own field name, answered 422 with nothing stored unless bad rows are
/// to be skipped (docs/workloads.md#5-exports-of-other-tools).</summary>
public sealed class ExportImportErrorTests
{
    private static string LiteLlm(string spend) =>
        $$"""{"request_id":"r2","call_type":"acompletion","spend":{{spend}},"prompt_tokens":100,"completion_tokens":20,"startTime":"2026-11-20T09:00:00Z","endTime":"2026-11-20T09:00:01Z","model":"gpt-4o","custom_llm_provider":"openai","status":"success"}""";

    /// <summary>For each format: a file of one good row then one bad one, the problem's field and reason.</summary>
    public static TheoryData<string, string, string, string> BadRows => new()
    {
        {
            "litellm",
            "[" + LiteLlm("0.001") + ",\n" + LiteLlm("\"lots\"") + "]",
            "spend", "must be a number of US dollars"
        },
        {
            "litellm csv",
            "request_id,spend,prompt_tokens,completion_tokens,startTime,endTime,model,status\n" +
            "r1,0.001,100,20,2026-11-20T09:00:00Z,2026-11-20T09:00:01Z,gpt-4o,success\n" +
            "r2,0.001,100,20,2026-11-20T09:00:00Z,2026-11-20T08:00:00Z,gpt-4o,success\n",
            "endTime", "is before the start time"
        },
        {
            "langfuse",
            """
            {"data":[
            {"id":"o1","traceId":"t1","type":"GENERATION","name":"qa","startTime":"2026-11-20T10:00:00Z","endTime":"2026-11-20T10:00:01Z","model":"gpt-4o","usageDetails":{"input":10,"output":5}},
            {"id":"o2","traceId":"t1","type":"GENERATION","name":"qa","startTime":"2026-11-20T10:00:00Z","endTime":"2026-11-20T10:00:01Z","model":"gpt-4o","usageDetails":{"input":-10,"output":5}}
            ],"meta":{"page":1}}
            """,
            "usageDetails.input", "must be a whole number"
        },
        {
            "openai-usage",
            """
            {"object":"page","data":[{"object":"bucket","start_time":1795132800,"end_time":1795219200,"results":[
            {"object":"organization.usage.completions.result","input_tokens":10,"output_tokens":5,"num_model_requests":1,"model":"gpt-4o"},
            {"object":"organization.usage.completions.result","input_tokens":10,"output_tokens":5,"num_model_requests":-3,"model":"gpt-4o"}
            ]}],"has_more":false,"next_page":null}
            """,
            "num_model_requests", "must be a whole number of calls"
        },
        {
            "anthropic-usage",
            """
            {"data":[{"starting_at":"2026-11-20T00:00:00Z","ending_at":"2026-11-21T00:00:00Z","results":[
            {"uncached_input_tokens":10,"cache_read_input_tokens":0,"output_tokens":5,"model":"claude-sonnet-4-5"},
            {"uncached_input_tokens":10,"cache_read_input_tokens":0,"output_tokens":5,"model":null}
            ]}],"has_more":false,"next_page":null}
            """,
            "model", "is absent: export the usage grouped by model"
        },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task A_bad_row_of_an_export_stores_nothing_unless_skipped_and_is_reported_with_its_line_and_position(
        string format, string file, string field, string reason)
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var (refused, problem) = await harness.ImportAsync(Alice, file, "application/json");
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToString());
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        problem.GetProperty("error_code").GetString().ShouldBe("VALIDATION_FAILED");
        var error = problem.GetProperty("row_errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("field").GetString().ShouldBe(field);
        error.GetProperty("reason").GetString()!.ShouldStartWith(reason);
        // The line the item starts on: a result of a usage export is on its bucket's.
        error.GetProperty("line").GetInt64().ShouldBe(format switch { "litellm" => 2, "litellm csv" or "langfuse" => 3, _ => 1 }, error.ToString());
        if (format != "litellm csv")
        {
            error.GetProperty("item").GetInt64().ShouldBe(2);
        }

        (await harness.SummaryAsync(Alice)).GetProperty("records").GetInt64().ShouldBe(0);

        var (skipped, body) = await harness.ImportAsync(Alice, file, "application/json", "?skip_invalid=true");
        skipped.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("imported").GetInt64().ShouldBe(1);
        body.GetProperty("skipped").GetInt64().ShouldBe(1);
        body.GetProperty("format").GetString().ShouldBe(format.Replace(" csv", ""));
    }

    [Theory]
    [InlineData("openai-usage", "litellm-spend-logs.json", "has no \"data\" array")]
    [InlineData("langfuse", "anthropic-usage.json", "is required")]
    [InlineData("litellm", "openai-usage-pages.json", "is required")]
    [InlineData("anthropic-usage", "langfuse-observations.json", "is required: each bucket")]
    [InlineData("csv", "langfuse-observations.json", "the header")]
    [InlineData("litellm", "anthropic-usage.json", "is required")]
    public async Task An_export_named_with_the_wrong_format_is_refused_with_its_problems_not_a_fault(string format, string fixture, string reason)
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var file = await File.ReadAllTextAsync(Infrastructure.RepositoryRoot.Path("tests", "Meridian.Tests", "Workloads", "Fixtures", fixture), TestContext.Current.CancellationToken);
        var (response, problem) = await harness.ImportAsync(Alice, file, "application/json", "?format=" + format);
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToString());
        problem.GetProperty("error_code").GetString().ShouldBe("VALIDATION_FAILED");
        problem.GetProperty("row_errors").EnumerateArray().ShouldContain(e => e.GetProperty("reason").GetString()!.Contains(reason), problem.ToString());
        (await harness.SummaryAsync(Alice)).GetProperty("records").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_format_name_lists_the_formats()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var (response, problem) = await harness.ImportAsync(Alice, "[]", "application/json", "?format=helicone");
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        problem.ToString().ShouldContain("openai-usage");
    }

    [Fact]
    public async Task An_item_longer_than_a_record_may_be_ends_the_import_and_malformed_json_names_its_line()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var huge = "{\"data\":[{\"id\":\"o1\",\"type\":\"GENERATION\",\"startTime\":\"2026-11-20T10:00:00Z\",\"input\":\"" + new string('x', 1_100_000) + "\"}]}";
        var (response, problem) = await harness.ImportAsync(Alice, huge, "application/json", "?format=langfuse");
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToString());
        problem.GetProperty("detail").GetString()!.ShouldContain("longer than 1048576 bytes");

        var broken = "[\n" + LiteLlm("0.001") + ",\n" + LiteLlm("0.002") + "\n{oops\n]";
        (response, problem) = await harness.ImportAsync(Alice, broken, "application/json");
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToString());
        var error = problem.GetProperty("row_errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("line").GetInt64().ShouldBe(4, error.ToString());
        (await harness.SummaryAsync(Alice)).GetProperty("records").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task A_multi_megabyte_export_is_read_across_chunks_with_the_right_lines_and_positions()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        // Each row on two lines, each with a 600-byte property the reader passes over: rows and values straddle the
        // chunks the body arrives in, and must be read again whole once the rest has arrived.
        const int Rows = 4000;
        var padding = new string('p', 600);
        var rows = Enumerable.Range(0, Rows).Select(i => LiteLlm(i == Rows - 1 ? "-1" : "0.001").Replace("\"model\"", $"\"messages\":\"{padding}\",\n\"model\""));
        var file = "[\n" + string.Join(",\n", rows) + "\n]\n";
        file.Length.ShouldBeGreaterThan(2_000_000);

        var (response, problem) = await harness.ImportAsync(Alice, file, "application/json");
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToString());
        var error = problem.GetProperty("row_errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("item").GetInt64().ShouldBe(Rows);
        error.GetProperty("line").GetInt64().ShouldBe(2 + (2 * (Rows - 1)));
        error.GetProperty("field").GetString().ShouldBe("spend");

        var (imported, body) = await harness.ImportAsync(Alice, file, "application/json", "?skip_invalid=true");
        imported.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("imported").GetInt64().ShouldBe(Rows - 1);
        (await harness.SummaryAsync(Alice)).GetProperty("total_cost_usd").GetDecimal().ShouldBe(0.001m * (Rows - 1));
    }
}
