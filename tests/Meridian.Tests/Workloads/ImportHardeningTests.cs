using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;
using static Meridian.Tests.Workloads.WorkloadHarness;

namespace Meridian.Tests.Workloads;

/// <summary>Import and synthetic bodies at the edges: text no string can hold, dates at the calendar's ends, a
/// multipart body cut short, old-style CR line ends. Each is an answer about the input, never a fault.</summary>
public sealed class ImportHardeningTests
{
    private const string Header = "timestamp,model,input_tokens,output_tokens,latency_ms,status";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Import(byte[] body, string contentType, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/workloads/import" + query) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(Alice));
        return request;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static TheoryData<string, byte[], string> UnreadableJsonLines => new()
    {
        { "lone surrogate", Utf8("{\"timestamp\":\"2026-11-01T10:00:00Z\",\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1,\"latency_ms\":1,\"status\":\"ok\",\"feature\":\"\\ud800\"}\n"), "feature" },
        { "lone surrogate in a name", Utf8("{\"timestamp\":\"2026-11-01T10:00:00Z\",\"\\udc00\":1,\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1,\"latency_ms\":1,\"status\":\"ok\"}\n"), "" },
        { "byte 0xFF", [.. Utf8("{\"timestamp\":\"2026-11-01T10:00:00Z\",\"model\":\"gpt-4o"), 0xFF, .. Utf8("\",\"input_tokens\":1,\"output_tokens\":1,\"latency_ms\":1,\"status\":\"ok\"}\n")], "" },
    };

    [Theory]
    [MemberData(nameof(UnreadableJsonLines))]
    public async Task A_json_lines_record_no_string_can_hold_is_a_row_problem_and_the_connection_stays_usable(string name, byte[] bad, string field)
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        using var client = new OneConnectionClient(harness.Server.BaseAddress);
        var good = Utf8("{\"timestamp\":\"2026-11-01T09:00:00Z\",\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1,\"latency_ms\":1,\"status\":\"ok\"}\n");

        using var refused = await client.Http.SendAsync(Import([.. good, .. bad], "application/x-ndjson"), Ct);
        var problem = await refused.ShouldBeCompleteProblemAsync(422, "VALIDATION_FAILED", name);
        var row = problem.GetProperty("row_errors").EnumerateArray().Single();
        row.GetProperty("line").GetInt64().ShouldBe(2, name);
        (row.GetProperty("field").ValueKind == JsonValueKind.Null ? "" : row.GetProperty("field").GetString()).ShouldBe(field, name);
        (await harness.Store.CountAsync(Alice, Ct)).ShouldBe(0, name);

        using var skipped = await client.Http.SendAsync(Import([.. good, .. bad], "application/x-ndjson", "?skip_invalid=true"), Ct);
        ((int)skipped.StatusCode).ShouldBe(200, await skipped.Content.ReadAsStringAsync(Ct));
        using var next = await client.Http.GetAsync("/health", Ct);

        next.StatusCode.ShouldBe(HttpStatusCode.OK);
        client.Connections.ShouldBe(1, "every answer came over the first keep-alive connection");
        (await harness.Store.CountAsync(Alice, Ct)).ShouldBe(1, name);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("0001-01-01T00:00:00.5+00:01")]
    public async Task A_timestamp_beyond_the_calendar_in_utc_is_a_422_naming_the_field(string timestamp)
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var csv = $"{Header}\n9999-12-31T23:59:59.999Z,gpt-4o,1,1,1,ok\n{timestamp},gpt-4o,1,1,1,ok\n0001-01-01T00:00:00Z,gpt-4o,1,1,1,ok\n";

        using var response = await harness.Server.Http.SendAsync(Import(Utf8(csv), "text/csv"), Ct);

        var problem = await response.ShouldBeCompleteProblemAsync(422, "VALIDATION_FAILED");
        var row = problem.GetProperty("row_errors").EnumerateArray().Single();
        (row.GetProperty("line").GetInt64(), row.GetProperty("field").GetString()).ShouldBe((3L, "timestamp"));
        (await harness.Store.CountAsync(Alice, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task The_calendars_first_and_last_millisecond_import_and_summarise()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var csv = $"{Header}\n9999-12-31T23:59:59.999Z,gpt-4o,1,1,1,ok\n0001-01-01T00:00:00Z,gpt-4o,1,1,1,ok\n";

        using var response = await harness.Server.Http.SendAsync(Import(Utf8(csv), "text/csv"), Ct);

        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync(Ct));
        var summary = await harness.SummaryAsync(Alice);
        summary.GetProperty("records").GetInt64().ShouldBe(2);
    }

    [Theory]
    [InlineData(366, "0001-01-01")]
    [InlineData(2, "0001-01-01")]
    public async Task A_synthetic_workload_that_would_start_before_the_calendar_is_a_422_naming_end_date(int days, string endDate)
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);

        var (response, body) = await harness.SyntheticAsync(Alice, new { profile = "rag", days, end_date = endDate, calls_per_day = 1 });

        await response.ShouldBeCompleteProblemAsync(422, "VALIDATION_FAILED");
        body.GetProperty("errors").GetProperty("end_date")[0].GetString()!.ShouldContain("0001-01-01");
    }

    [Fact]
    public async Task Synthetic_workloads_at_the_calendars_ends_are_generated()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);

        var (first, firstBody) = await harness.SyntheticAsync(Alice, new { profile = "rag", days = 1, end_date = "0001-01-01", calls_per_day = 5, seed = 1 });
        var (last, lastBody) = await harness.SyntheticAsync(Alice, new { profile = "rag", days = 366, end_date = "9999-12-31", calls_per_day = 1, seed = 1 });

        ((int)first.StatusCode).ShouldBe(200, firstBody.ToString());
        ((int)last.StatusCode).ShouldBe(200, lastBody.ToString());
    }

    [Theory]
    [InlineData("--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n" + Header + "\n2026-11-01T10:00:00Z,gpt-4o,1,1,1,ok\n")]
    [InlineData("--XX\r\nContent-Disposition: form-da")]
    [InlineData("--XX\r\n")]
    public async Task A_multipart_body_cut_short_is_a_400_and_stores_nothing(string body)
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);

        using var response = await harness.Server.Http.SendAsync(Import(Utf8(body), "multipart/form-data; boundary=XX"), Ct);

        await response.ShouldBeCompleteProblemAsync(400, "BAD_REQUEST");
        (await harness.Store.CountAsync(Alice, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task A_multipart_part_with_more_headers_than_the_reader_takes_is_a_400()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var headers = string.Concat(Enumerable.Range(0, 40).Select(i => $"X-Extra-{i}: {i}\r\n"));
        var body = $"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n{headers}\r\n{Header}\n--XX--\r\n";

        using var response = await harness.Server.Http.SendAsync(Import(Utf8(body), "multipart/form-data; boundary=XX"), Ct);

        await response.ShouldBeCompleteProblemAsync(400, "BAD_REQUEST");
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task Csv_lines_may_end_in_cr_lf_or_crlf(string lineEnd)
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var csv = string.Join(lineEnd, Header + ",feature", "2026-11-01T10:00:00Z,gpt-4o,1,1,1,ok,\"two" + lineEnd + "lines\"", "", "2026-11-01T11:00:00Z,gpt-4o,2,2,2,ok,plain") + lineEnd;

        using var response = await harness.Server.Http.SendAsync(Import(Utf8(csv), "text/csv"), Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(200, text);
        JsonDocument.Parse(text).RootElement.GetProperty("imported").GetInt64().ShouldBe(2);
        var records = await harness.Store.LoadAsync(Alice, Ct);
        records.Select(r => r.Feature).ShouldBe(["two" + lineEnd + "lines", "plain"]);
    }

    [Fact]
    public async Task Mixed_line_ends_number_the_lines_as_an_editor_does()
    {
        await using var harness = await StartAsync(StorageProvider.Sqlite);
        var csv = Header + "\r2026-11-01T10:00:00Z,gpt-4o,1,1,1,ok\r\n2026-11-01T11:00:00Z,gpt-4o,x,1,1,ok\n2026-11-01T12:00:00Z,gpt-4o,1,1,1,maybe\r";

        using var response = await harness.Server.Http.SendAsync(Import(Utf8(csv), "text/csv"), Ct);

        var problem = await response.ShouldBeCompleteProblemAsync(422, "VALIDATION_FAILED");
        problem.GetProperty("row_errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("field").GetString()))
            .ShouldBe([(3L, "input_tokens"), (4L, "status")]);
    }
}
