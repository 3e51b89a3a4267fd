using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Meridian.Server.Pricing;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using static Meridian.Tests.Workloads.WorkloadHarness;

namespace Meridian.Tests.Workloads;

/// <summary>The workloads routes over real HTTP, on SQLite and PostgreSQL.</summary>
public sealed class WorkloadEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Csv(params string[] rows) => CsvHeader + "\n" + string.Join("\n", rows) + "\n";

    private static long Count(JsonElement body, string name) => body.GetProperty(name).GetInt64();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_with_a_bad_row_imports_nothing_unless_asked_to_skip_it(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var file = Csv(
            "2026-11-01T10:00:00Z,gpt-4o,openai,1000,200,800,,ok,chat,h1",
            "2026-11-01T11:00:00Z,gpt-4o,openai,-1,200,800,,ok,chat,h2",
            "2026-11-01T12:00:00Z,gpt-4o-mini,openai,500,100,300,0.01,error,faq,h1");

        var refused = await harness.ImportAsync(Alice, file, "text/csv");

        refused.ShouldBeProblem(422, "VALIDATION_FAILED");
        var error = refused.Body.GetProperty("row_errors").EnumerateArray().Single();
        (error.GetProperty("line").GetInt64(), error.Text("field")).ShouldBe((3L, "input_tokens"));
        error.Text("reason").ShouldContain("whole number");
        Count(refused.Body, "error_count").ShouldBe(1);
        refused.Body.GetProperty("errors").GetProperty("input_tokens")[0].GetString()!.ShouldStartWith("line 3:");
        (await harness.Store.CountAsync(Alice, Ct)).ShouldBe(0);

        var (response, body) = await harness.ImportAsync(Alice, file, "text/csv", "?skip_invalid=true");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        (Count(body, "imported"), Count(body, "skipped"), Count(body, "error_count")).ShouldBe((2L, 1L, 1L));
        body.GetProperty("row_errors")[0].GetProperty("line").GetInt64().ShouldBe(3);
        var records = await harness.Store.LoadAsync(Alice, Ct);
        records.Select(r => r.Model).ShouldBe(["gpt-4o", "gpt-4o-mini"]);
        records[1].CostUsd.ShouldBe(0.01m);
        records[1].IsError.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Json_lines_and_browser_uploads_import_and_records_come_back_in_time_order(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var jsonl = """
            {"timestamp":"2026-11-03T09:00:00Z","model":"claude-haiku-4-5","input_tokens":2000,"output_tokens":400,"latency_ms":1500,"status":"ok","feature":"summary","prompt_hash":"x"}
            {"timestamp":"2026-11-01T09:00:00+01:00","model":"gpt-4o","input_tokens":10,"output_tokens":1,"latency_ms":100,"status":"ok"}
            """;

        var (imported, body) = await harness.ImportAsync(Alice, jsonl, "application/x-ndjson");
        var (uploaded, uploadBody) = await harness.UploadAsync(Alice, Csv("2026-11-02T00:00:00Z,gpt-4.1,,5,5,5,,ok,upload,"), "usage.csv");
        var (named, namedBody) = await harness.ImportAsync(Alice, Csv("2026-11-02T12:00:00Z,gpt-4.1,,6,6,6,,ok,named,"), "text/plain", "?format=csv");

        imported.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.Text("format").ShouldBe("jsonl");
        uploaded.StatusCode.ShouldBe(HttpStatusCode.OK, uploadBody.ToString());
        named.StatusCode.ShouldBe(HttpStatusCode.OK, namedBody.ToString());
        var records = await harness.Store.LoadAsync(Alice, Ct);
        records.Select(r => r.Feature).ShouldBe(["default", "upload", "named", "summary"]);
        records[0].Timestamp.ShouldBe(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
        records[3].Provider.ShouldBe("anthropic");
        records[3].CostUsd.ShouldBe(harness.Server.Service<PriceCatalog>().Find("claude-haiku-4-5")!.Cost(2000, 400));
        (await harness.Store.CountAsync(Alice, Ct)).ShouldBe(4);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_user_sees_summarises_and_deletes_only_their_own_records(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        (await harness.ImportAsync(Alice, Csv(
            "2026-11-01T10:00:00Z,gpt-4o,openai,1000,100,800,0.5,ok,chat,a",
            "2026-11-01T10:05:00Z,gpt-4o,openai,3000,300,1200,1.5,error,chat,a",
            "2026-11-02T10:00:00Z,gpt-4o-mini,openai,100,10,200,0.25,ok,faq,b"), "text/csv")).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await harness.ImportAsync(Bob, Csv("2026-10-01T00:00:00Z,gemini-2.5-flash,,10,10,10,9,ok,bob-only,"), "text/csv"))
            .Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var alice = await harness.SummaryAsync(Alice);
        var bob = await harness.SummaryAsync(Bob);

        (Count(alice, "records"), alice.GetProperty("total_cost_usd").GetDecimal(), Count(alice, "input_tokens"), Count(alice, "output_tokens"))
            .ShouldBe((3L, 2.25m, 4100L, 410L));
        (Count(alice, "errors"), alice.GetProperty("error_rate").GetDouble()).ShouldBe((1L, Math.Round(1 / 3.0, 6)));
        alice.Text("first_timestamp").ShouldBe("2026-11-01T10:00:00.000Z");
        alice.Text("last_timestamp").ShouldBe("2026-11-02T10:00:00.000Z");
        var byModel = alice.GetProperty("by_model").EnumerateArray().ToList();
        byModel.Select(m => (m.Text("name"), m.Text("provider"), Count(m, "records"), m.GetProperty("cost_usd").GetDecimal()))
            .ShouldBe([("gpt-4o", "openai", 2L, 2.0m), ("gpt-4o-mini", "openai", 1L, 0.25m)]);
        byModel[0].GetProperty("avg_latency_ms").GetDouble().ShouldBe(1000);
        byModel[0].GetProperty("cost_share").GetDouble().ShouldBe(Math.Round(2.0 / 2.25, 6));
        alice.GetProperty("by_feature").EnumerateArray().Select(f => (f.Text("name"), Count(f, "records"), Count(f, "errors")))
            .ShouldBe([("chat", 2L, 1L), ("faq", 1L, 0L)]);
        (Count(bob, "records"), bob.GetProperty("by_feature")[0].Text("name")).ShouldBe((1L, "bob-only"));
        (await harness.Store.LoadAsync(Bob, Ct)).ShouldAllBe(r => r.Feature == "bob-only");

        var (deleted, _) = await harness.SendAsync(Bob, HttpMethod.Delete, "/api/workloads");

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Count(await harness.SummaryAsync(Bob), "records").ShouldBe(0);
        Count(await harness.SummaryAsync(Alice), "records").ShouldBe(3, "Bob's delete leaves Alice's records");
        var empty = await harness.SummaryAsync(Bob);
        empty.GetProperty("first_timestamp").ValueKind.ShouldBe(JsonValueKind.Null);
        empty.GetProperty("by_model").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Replace_swaps_the_callers_records_for_the_file_in_one_step(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        await harness.ImportAsync(Alice, Csv("2026-11-01T00:00:00Z,gpt-4o,,1,1,1,,ok,old,"), "text/csv");
        await harness.ImportAsync(Bob, Csv("2026-11-01T00:00:00Z,gpt-4o,,1,1,1,,ok,bob,"), "text/csv");

        var refused = await harness.ImportAsync(Alice, Csv("not a timestamp,gpt-4o,,1,1,1,,ok,new,"), "text/csv", "?replace=true");
        var (replaced, body) = await harness.ImportAsync(Alice, Csv("2026-11-02T00:00:00Z,gpt-4o,,1,1,1,,ok,new,"), "text/csv", "?replace=true");

        refused.ShouldBeProblem(422, "VALIDATION_FAILED");
        replaced.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("replaced").GetBoolean().ShouldBeTrue();
        (await harness.Store.LoadAsync(Alice, Ct)).Select(r => r.Feature).ShouldBe(["new"]);
        (await harness.Store.LoadAsync(Bob, Ct)).Select(r => r.Feature).ShouldBe(["bob"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_synthetic_workload_is_the_same_for_the_same_seed_and_replaces_the_callers_records(StorageProvider provider)
    {
        await using var harness = await StartAsync(provider);
        var request = new { profile = "rag", days = 7, calls_per_day = 200, seed = 42, end_date = "2026-11-20" };

        var (first, body) = await harness.SyntheticAsync(Alice, request);
        var (_, again) = await harness.SyntheticAsync(Alice, request);
        await harness.SyntheticAsync(Bob, request);
        var (_, other) = await harness.SyntheticAsync(Bob, request with { seed = 43 });
        var aliceRecords = await harness.Store.LoadAsync(Alice, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        (body.Text("profile"), body.GetProperty("seed").GetInt64(), body.Text("start_date"), body.Text("end_date"))
            .ShouldBe(("rag", 42L, "2026-11-14", "2026-11-20"));
        Count(body, "generated").ShouldBe(aliceRecords.Count);
        Count(again, "generated").ShouldBe(aliceRecords.Count);
        Count(body.GetProperty("summary"), "records").ShouldBe(aliceRecords.Count, "a new workload replaces the old one by default");
        aliceRecords.Count.ShouldBeInRange(700, 2100);
        aliceRecords.ShouldAllBe(r => r.Timestamp >= new DateTimeOffset(2026, 11, 14, 0, 0, 0, TimeSpan.Zero) && r.Timestamp < new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));
        Count(other, "generated").ShouldNotBe(aliceRecords.Count);

        await harness.SyntheticAsync(Bob, request);
        (await harness.Store.LoadAsync(Bob, Ct)).ShouldBe(aliceRecords, "the same seed gives the same records, whoever asks");

        var (appended, appendBody) = await harness.SyntheticAsync(Bob, new { profile = "chatbot", days = 1, seed = 1, replace = false });
        appended.StatusCode.ShouldBe(HttpStatusCode.OK, appendBody.ToString());
        (await harness.Store.CountAsync(Bob, Ct)).ShouldBe(aliceRecords.Count + Count(appendBody, "generated"));
    }

    [Fact]
    public async Task A_synthetic_request_is_checked_field_by_field()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite, new Dictionary<string, string?> { ["Workloads:MaxSyntheticRecords"] = "1000" });

        var bad = await harness.SyntheticAsync(Alice, new { profile = "gaming", days = 0, calls_per_day = "many", error_rate = 0.9, end_date = "soon", replace = "yes", seed = 1.5 });
        var tooMany = await harness.SyntheticAsync(Alice, new { profile = "chatbot", days = 30, calls_per_day = 100 });
        var (drawn, body) = await harness.SyntheticAsync(Alice, new { profile = "Batch_Summarization", days = 2, calls_per_day = 10 });

        bad.ShouldBeProblem(422, "VALIDATION_FAILED");
        bad.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(
            ["profile", "days", "calls_per_day", "error_rate", "seed", "end_date", "replace"], ignoreOrder: true);
        tooMany.ShouldBeProblem(422, "VALIDATION_FAILED");
        tooMany.Body.Text("detail").ShouldContain("Workloads:MaxSyntheticRecords");
        drawn.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.Text("profile").ShouldBe("batch_summarisation");
        body.GetProperty("seed").GetInt64().ShouldBeGreaterThan(0, "a seed is drawn and returned when none is given");
        DateOnly.Parse(body.Text("end_date"), CultureInfo.InvariantCulture).ShouldBe(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1));
    }

    [Fact]
    public async Task Imports_without_credentials_in_an_unknown_format_or_without_a_file_part_are_refused()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var csv = Csv("2026-11-01T00:00:00Z,gpt-4o,,1,1,1,,ok,f,");

        (await harness.SendAsync(null, HttpMethod.Post, "/api/workloads/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).ShouldBeProblem(401, "AUTH_REQUIRED");
        (await harness.SendAsync(null, HttpMethod.Get, "/api/workloads/summary")).ShouldBeProblem(401, "AUTH_REQUIRED");
        (await harness.SendAsync(null, HttpMethod.Delete, "/api/workloads")).ShouldBeProblem(401, "AUTH_REQUIRED");
        (await harness.SendAsync(null, HttpMethod.Post, "/api/workloads/synthetic")).ShouldBeProblem(401, "AUTH_REQUIRED");
        (await harness.ImportAsync(Alice, csv, "text/plain")).ShouldBeProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        (await harness.ImportAsync(Alice, csv, "text/csv", "?format=xlsx")).ShouldBeProblem(422, "VALIDATION_FAILED");
        (await harness.UploadAsync(Alice, csv, "usage.xlsx")).ShouldBeProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        var noFile = new MultipartFormDataContent { { new StringContent(csv), "data" } };
        (await harness.SendAsync(Alice, HttpMethod.Post, "/api/workloads/import", noFile)).ShouldBeProblem(422, "VALIDATION_FAILED");
        var header = await harness.ImportAsync(Alice, "when,model\n2026-11-01,gpt-4o\n", "text/csv");
        header.ShouldBeProblem(422, "VALIDATION_FAILED");
        header.Body.Text("detail").ShouldContain("timestamp");
        (await harness.Store.CountAsync(Alice, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task The_import_body_limit_is_the_routes_own_and_an_oversize_file_stores_nothing()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Workloads:MaxImportBytes"] = "4096",
            ["Server:MaxRequestBodyBytes"] = "2048",
        });
        var rows = Enumerable.Range(0, 100).Select(i => $"2026-11-01T00:00:00Z,gpt-4o,,{i},1,1,,ok,f,").ToArray();
        var fits = Csv(rows[..60]);
        var oversize = Csv(rows);
        fits.Length.ShouldBeInRange(2049, 4096, "larger than other routes accept, within the import limit");

        var (ok, body) = await harness.ImportAsync(Alice, fits, "text/csv");
        var tooLarge = await harness.ImportAsync(Bob, oversize, "text/csv");

        ok.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        tooLarge.ShouldBeProblem(413, "PAYLOAD_TOO_LARGE");
        (await harness.Store.CountAsync(Bob, Ct)).ShouldBe(0);
    }
}
