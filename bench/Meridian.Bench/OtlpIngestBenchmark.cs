using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Meridian.Server.Ingest.Otlp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Meridian.Bench;

/// <summary>OTLP trace ingest over real HTTP into an in-process server on SQLite (docs/ingest.md): exporters post
/// protobuf exports of 512 GenAI spans each, as the OpenTelemetry SDK's batch processor sends them, from a few
/// connections at once for a fixed time. Reports spans stored per second and the request latency. Baseline in the
/// same run: the same bodies posted to a route that reads and discards them.</summary>
internal static class OtlpIngestBenchmark
{
    private const int SpansPerExport = 512;
    private const int Senders = 4;
    private const double TargetSpansPerSecond = 20_000;

    public static async Task<string> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 5 : 30);
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = BenchAuth.Secret,
        }, endpoints: app => app.MapPost("/bench/drain", DrainAsync));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var key = await CreateKeyAsync(http);
        var bodies = Enumerable.Range(0, 16).Select(Export).ToArray();

        // Warm up both routes: JIT, connections, the first SQLite pages.
        await DriveAsync(http, "/v1/traces", key, bodies, TimeSpan.FromSeconds(quick ? 1 : 5));
        await DriveAsync(http, "/bench/drain", key, bodies, TimeSpan.FromSeconds(1));
        var drain = await DriveAsync(http, "/bench/drain", key, bodies, duration);
        var ingest = await DriveAsync(http, "/v1/traces", key, bodies, duration);
        return Report(duration, bodies[0].Length, drain, ingest);
    }

    private static string Report(TimeSpan duration, int bodyBytes, Outcome drain, Outcome ingest)
    {
        var text = new StringBuilder();
        text.AppendLine("### ingest: OTLP/HTTP trace exports (protobuf) into SQLite");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{Senders} exporters at once for {duration.TotalSeconds:F0} s each, exports of {SpansPerExport} GenAI spans ({bodyBytes / 1024.0:F0} KiB). " +
            $"Load average at the end (shared machine): {LoadAverage()}."));
        text.AppendLine();
        text.AppendLine("| route | exports | spans/s | request p50 | request p99 |");
        text.AppendLine("|---|---|---|---|---|");
        text.AppendLine(Row("baseline: body read and discarded", drain));
        text.AppendLine(Row("`POST /v1/traces` (parse, map, check, store)", ingest));
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Ingest: {ingest.SpansPerSecond:N0} spans/s, {ingest.SpansPerSecond / drain.SpansPerSecond:P0} of the baseline's rate; " +
            $"target ≥ {TargetSpansPerSecond:N0} spans/s: {(ingest.SpansPerSecond >= TargetSpansPerSecond ? "met" : "not met")}."));
        text.AppendLine("Command: `dotnet run -c Release --project bench/Meridian.Bench -- ingest`");
        return text.ToString();
    }

    private static string Row(string name, Outcome o) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {o.Exports:N0} | {o.SpansPerSecond:N0} | {o.Latency.Percentile(50):F1} ms | {o.Latency.Percentile(99):F1} ms |");

    private sealed record Outcome(long Exports, double SpansPerSecond, Samples Latency);

    /// <summary>Posts exports from <see cref="Senders"/> connections for <paramref name="duration"/>.</summary>
    private static async Task<Outcome> DriveAsync(HttpClient http, string path, string key, byte[][] bodies, TimeSpan duration)
    {
        var latency = new Samples();
        long exports = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(async sender =>
        {
            var mine = new Samples();
            for (var i = sender; Stopwatch.GetElapsedTime(started) < duration; i++)
            {
                var body = new ByteArrayContent(bodies[i % bodies.Length]);
                body.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
                }

                mine.Add(sent);
                Interlocked.Increment(ref exports);
            }

            lock (latency)
            {
                latency.AddAll(mine);
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new Outcome(exports, exports * SpansPerExport / elapsed.TotalSeconds, latency);
    }

    /// <summary>One export of GenAI chat spans over a few models and services, as OpenTelemetry instrumentations emit them.</summary>
    private static byte[] Export(int seed)
    {
        string[] models = ["gpt-4o-mini", "gpt-4o", "claude-sonnet-4-5", "gemini-2.5-flash"];
        var scope = new ScopeSpans();
        var start = (ulong)DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds() * 1_000_000;
        for (var i = 0; i < SpansPerExport; i++)
        {
            var at = start + (ulong)((seed * SpansPerExport) + i) * 1_000_000_000;
            var span = new Span { Name = "chat", StartTimeUnixNano = at, EndTimeUnixNano = at + (ulong)(300 + (i % 700)) * 1_000_000 };
            span.Attributes.Add(Attribute("gen_ai.operation.name", "chat"));
            span.Attributes.Add(Attribute("gen_ai.request.model", models[i % models.Length]));
            span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.input_tokens", Value = new AnyValue { IntValue = 500 + (i * 37 % 3000) } });
            span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.output_tokens", Value = new AnyValue { IntValue = 50 + (i * 13 % 600) } });
            span.Attributes.Add(Attribute("http.route", "/v1/chat/completions"));
            scope.Spans.Add(span);
        }

        var resource = new Resource();
        resource.Attributes.Add(Attribute("service.name", seed % 2 == 0 ? "support-bot" : "search"));
        var export = new ExportTraceServiceRequest();
        export.ResourceSpans.Add(new ResourceSpans { Resource = resource, ScopeSpans = { scope } });
        return export.ToByteArray();
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static async Task<string> CreateKeyAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/keys") { Content = JsonContent.Create(new { name = "bench" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BenchAuth.Token("user_bench_ingest", TimeSpan.FromHours(1)));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private static async Task DrainAsync(HttpContext context)
    {
        var buffer = new byte[64 * 1024];
        while (await context.Request.Body.ReadAsync(buffer) > 0)
        {
        }

        context.Response.ContentType = "application/x-protobuf";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
