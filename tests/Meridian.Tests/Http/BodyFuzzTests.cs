using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Workloads;

namespace Meridian.Tests.Http;

/// <summary>Random REST bodies and import files built from hostile values (bytes that are not UTF-8, lone surrogate
/// escapes, dates at the calendar's edges, numbers beyond every range, values of the wrong kind), all over one
/// keep-alive connection: every answer is 2xx or a complete 4xx problem, never a 5xx, and the connection stays up.</summary>
public sealed class BodyFuzzTests
{
    /// <summary>Fixed, so a failure replays; set MERIDIAN_FUZZ_SEED to explore other sequences.</summary>
    private const int DefaultSeed = 20261206;
    private const int Requests = 400;

    private static readonly byte[][] JsonValues =
    [
        Raw("\"a", 0xFF, "b\""), Raw("\"", 0xC3, "\""), Raw("\"", 0xED, 0xA0, 0x80, "\""), Utf8("\"\\ud800\""), Utf8("\"x\\udc00y\""),
        Utf8("\"0001-01-01\""), Utf8("\"9999-12-31\""), Utf8("\"9999-12-31T23:59:59-14:00\""), Utf8("\"0001-01-01T00:00:00+14:00\""),
        Utf8("\"2026-02-30\""), Utf8("\"2026-11-20\""), Utf8("-1"), Utf8("0"), Utf8("1"), Utf8("366"), Utf8("367"), Utf8("1e308"),
        Utf8("-1e308"), Utf8("9223372036854775808"), Utf8("0.5"), Utf8("null"), Utf8("true"), Utf8("[]"), Utf8("{}"), Utf8("[1,\"x\"]"),
        Utf8("\"rag\""), Utf8("\"chatbot\""), Utf8("\"\""), Utf8("\"" + new string('w', 5000) + "\""), Utf8("\"thread-fuzz\""),
        Utf8("\"usage_query\""), Utf8("\"cost_breakdown\""), Utf8("\"tools/call\""), Utf8("\"data\""),
    ];

    private static readonly byte[][] Cells =
    [
        Raw("a", 0xFF), Utf8("\\ud800"), Utf8("9999-12-31T23:59:59-14:00"), Utf8("0001-01-01T00:00:00+14:00"), Utf8("9999-12-31T23:59:59.999Z"),
        Utf8("0001-01-01T00:00:00Z"), Utf8("2026-11-01T10:00:00Z"), Utf8("2026-02-30T00:00:00Z"), Utf8("gpt-4o"), Utf8("no-such-model"), Utf8("-1"),
        Utf8("1"), Utf8("99999999999999999999"), Utf8("1e308"), Utf8("ok"), Utf8("error"), Utf8(""), Utf8("\"quoted, \"\"cell\"\"\""), Utf8("\"open"),
    ];

    private static readonly (string Method, string Path, string[] Fields)[] Routes =
    [
        ("POST", "/api/threads", ["title", "thread_id"]),
        ("PUT", "/api/threads/thread-fuzz", ["title"]),
        ("POST", "/api/agents/execute?wait=false", ["message", "content", "text", "input", "agent", "thread_id"]),
        ("POST", "/api/agents/data?wait=false", ["message", "thread_id"]),
        ("POST", "/api/workloads/synthetic", ["profile", "days", "calls_per_day", "growth_pct_per_month", "seed", "error_rate", "end_date", "replace"]),
        ("POST", "/auth/register", ["email", "password", "name"]),
        ("POST", "/auth/login", ["email", "password"]),
        ("POST", "/auth/refresh", ["refresh_token"]),
    ];

    private static readonly string[] UsageFields = ["timestamp", "model", "provider", "input_tokens", "output_tokens", "latency_ms", "cost_usd", "status", "feature", "prompt_hash"];

    private static readonly string[] LineEnds = ["\n", "\r\n", "\r"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hostile_bodies_and_files_get_2xx_or_complete_4xx_problems_over_one_connection()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MERIDIAN_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var random = new Random(seed);
        await using var harness = await WorkloadHarness.StartAsync(StorageProvider.Sqlite, new Dictionary<string, string?>
        {
            // Big enough for real records, small enough that a lucky synthetic request stays quick.
            ["Workloads:MaxSyntheticRecords"] = "3000",
            ["Auth:Lockout:SlowdownStepMilliseconds"] = "0",
        });
        var token = WorkloadHarness.Token(WorkloadHarness.Alice);
        var (created, _) = await harness.Server.PostAsync("/api/threads", new { thread_id = "thread-fuzz" }, token);
        ((int)created.StatusCode).ShouldBe(201);
        using var client = new OneConnectionClient(harness.Server.BaseAddress);

        for (var i = 0; i < Requests; i++)
        {
            using var request = (random.Next(4)) switch
            {
                0 => Import(random),
                1 => Mcp(random),
                _ => Rest(random),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var context = $"seed {seed} request {i}: {request.Method} {request.RequestUri} {await Describe(request)}";

            using var response = await client.Http.SendAsync(request, Ct);

            var status = (int)response.StatusCode;
            status.ShouldBeLessThan(500, context);
            if (status >= 400)
            {
                await response.ShouldBeCompleteProblemAsync(context: context);
            }
            else
            {
                response.ShouldCarryStandardHeaders(context);
                var text = await response.Content.ReadAsStringAsync(Ct);
                text.ShouldNotContain("Exception", Case.Sensitive, context);
                text.ShouldNotContain("transcode", Case.Sensitive, context);
            }
        }

        client.Connections.ShouldBe(1, "every answer came over the first keep-alive connection");
    }

    private static HttpRequestMessage Rest(Random random)
    {
        var (method, path, fields) = Routes[random.Next(Routes.Length)];
        return Json(method, path, random.Next(8) == 0 ? Pick(random, JsonValues) : JsonObject(random, fields));
    }

    private static HttpRequestMessage Mcp(Random random)
    {
        var tools = new[] { "usage_query", "cost_breakdown", "savings_estimate", "growth_projection" };
        var body = new List<byte>();
        body.AddRange(Utf8("{\"jsonrpc\":\"2.0\",\"id\":"));
        body.AddRange(random.Next(3) == 0 ? Pick(random, JsonValues) : Utf8(random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        body.AddRange(Utf8(",\"method\":"));
        body.AddRange(random.Next(4) == 0 ? Pick(random, JsonValues) : Utf8("\"tools/call\""));
        body.AddRange(Utf8(",\"params\":{\"name\":"));
        body.AddRange(random.Next(4) == 0 ? Pick(random, JsonValues) : Utf8($"\"{tools[random.Next(tools.Length)]}\""));
        body.AddRange(Utf8(",\"arguments\":"));
        body.AddRange(JsonObject(random, ["model", "feature", "last_days", "from", "to", "months", "monthly_cost_usd", "models"]));
        body.AddRange(Utf8("}}"));
        return Json("POST", "/mcp", [.. body]);
    }

    private static HttpRequestMessage Import(Random random)
    {
        var csv = random.Next(2) == 0;
        var rows = Enumerable.Range(0, random.Next(1, 6)).Select(_ => csv ? CsvRow(random) : JsonObject(random, UsageFields, cells: true)).ToList();
        var end = Utf8(LineEnds[random.Next(LineEnds.Length)]);
        var file = new List<byte>();
        if (csv)
        {
            file.AddRange(Utf8(string.Join(',', UsageFields)));
            file.AddRange(end);
        }

        foreach (var row in rows)
        {
            file.AddRange(row);
            file.AddRange(end);
        }

        var query = random.Next(3) == 0 ? "?skip_invalid=true" : "";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/workloads/import" + query);
        if (random.Next(3) == 0)
        {
            var multipart = new List<byte>();
            multipart.AddRange(Utf8($"--FUZZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"usage.{(csv ? "csv" : "jsonl")}\"\r\n\r\n"));
            multipart.AddRange(file);
            multipart.AddRange(Utf8("\r\n--FUZZ--\r\n"));
            var bytes = multipart.ToArray();
            // Now and then cut short, as an interrupted upload is.
            request.Content = new ByteArrayContent(random.Next(3) == 0 ? bytes[..random.Next(bytes.Length)] : bytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=FUZZ");
        }
        else
        {
            request.Content = new ByteArrayContent([.. file]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(csv ? "text/csv" : "application/x-ndjson");
        }

        return request;
    }

    private static byte[] CsvRow(Random random)
    {
        var row = new List<byte>();
        for (var f = 0; f < UsageFields.Length; f++)
        {
            if (f > 0)
            {
                row.Add((byte)',');
            }

            row.AddRange(Pick(random, Cells));
        }

        return [.. row];
    }

    /// <summary>An object with a random subset of <paramref name="fields"/>; with <paramref name="cells"/> values
    /// are usually cells as JSON strings (what an import reads), else any hostile JSON value.</summary>
    private static byte[] JsonObject(Random random, string[] fields, bool cells = false)
    {
        var body = new List<byte> { (byte)'{' };
        foreach (var field in fields.Where(_ => random.Next(3) > 0))
        {
            if (body.Count > 1)
            {
                body.Add((byte)',');
            }

            body.AddRange(Utf8($"\"{field}\":"));
            if (cells && random.Next(3) > 0)
            {
                body.Add((byte)'"');
                body.AddRange(Pick(random, Cells).Where(b => b != (byte)'"'));
                body.Add((byte)'"');
            }
            else
            {
                body.AddRange(Pick(random, JsonValues));
            }
        }

        body.Add((byte)'}');
        return [.. body];
    }

    private static HttpRequestMessage Json(string method, string path, byte[] body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    private static async Task<string> Describe(HttpRequestMessage request)
    {
        var bytes = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(Ct);
        var text = Encoding.UTF8.GetString(bytes);
        return JsonSerializer.Serialize(text.Length > 400 ? text[..400] + "…" : text);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Raw(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : [Convert.ToByte(p, System.Globalization.CultureInfo.InvariantCulture)])];
}
