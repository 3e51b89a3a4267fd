using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using static Meridian.Tests.Workloads.WorkloadHarness;

namespace Meridian.Tests.Ingest;

/// <summary>The OTLP/HTTP trace receiver (docs/ingest.md#2-otlp-receiver), fed by the real OpenTelemetry .NET SDK and
/// by hand-written OTLP JSON, over real HTTP into each database.</summary>
public sealed class OtlpReceiverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTime Start = new(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>Exports spans the way an instrumented application does: an ActivitySource, the SDK's OTLP exporter
    /// (protobuf over HTTP) with the key in its headers, a flush.</summary>
    private static void ExportWithSdk(IngestHarness harness, string key, Action<ActivitySource> emit)
    {
        using var source = new ActivitySource("Meridian.Tests.App." + Guid.NewGuid().ToString("N"));
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .ConfigureResource(r => r.AddService("checkout"))
            .AddOtlpExporter(o =>
            {
                o.Endpoint = harness.TracesEndpoint;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Headers = "Authorization=Bearer " + key;
                o.ExportProcessorType = ExportProcessorType.Batch;
            })
            .Build();
        emit(source);
        tracing.ForceFlush(60_000).ShouldBeTrue("the SDK could not export to the receiver");
    }

    private static void ModelCall(ActivitySource source, int minute, string model, long input, long output, double ms, bool failed = false, string? responseModel = null)
    {
        var start = Start.AddMinutes(minute);
        using var span = source.StartActivity("chat " + model, ActivityKind.Client, default(ActivityContext), startTime: start)!;
        span.SetTag("gen_ai.operation.name", "chat");
        span.SetTag("gen_ai.provider.name", "openai");
        span.SetTag("gen_ai.request.model", model);
        span.SetTag("gen_ai.response.model", responseModel);
        span.SetTag("gen_ai.usage.input_tokens", input);
        span.SetTag("gen_ai.usage.output_tokens", output);
        if (failed)
        {
            span.SetStatus(ActivityStatusCode.Error, "rate limited");
        }

        span.SetEndTime(start.AddMilliseconds(ms));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Spans_exported_by_the_OpenTelemetry_sdk_become_the_key_owners_records(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider);
        var (_, key) = await harness.CreateKeyAsync(Alice);

        ExportWithSdk(harness, key, source =>
        {
            ModelCall(source, 0, "gpt-4o", 1_000_000, 100_000, 1200, responseModel: "gpt-4o-2024-08-06");
            ModelCall(source, 1, "gpt-4o-mini", 2000, 500, 400);
            ModelCall(source, 2, "gpt-4o-mini", 3000, 0, 30_000, failed: true);
            using (source.StartActivity("GET /checkout", ActivityKind.Server))
            {
                // Not a model call: ignored.
            }
        });

        var summary = await harness.Workloads.SummaryAsync(Alice);
        summary.GetProperty("records").GetInt64().ShouldBe(3);
        summary.GetProperty("errors").GetInt64().ShouldBe(1);
        summary.GetProperty("input_tokens").GetInt64().ShouldBe(1_005_000);
        summary.GetProperty("first_timestamp").GetDateTimeOffset().ShouldBe(new DateTimeOffset(Start));
        var models = summary.GetProperty("by_model").EnumerateArray().ToDictionary(m => m.Text("name"));
        // The response's model is the one that ran: 1M input at $2.50/M and 100k output at $10/M.
        models["gpt-4o-2024-08-06"].GetProperty("cost_usd").GetDecimal().ShouldBe(3.5m);
        models["gpt-4o-2024-08-06"].Text("provider").ShouldBe("openai");
        models["gpt-4o-2024-08-06"].GetProperty("avg_latency_ms").GetDouble().ShouldBe(1200);
        summary.GetProperty("by_feature").EnumerateArray().Single().Text("name").ShouldBe("checkout");
        (await harness.Workloads.SummaryAsync(Bob)).GetProperty("records").GetInt64().ShouldBe(0);
    }

    /// <summary>An export in OTLP's JSON encoding, as a collector or a script sends it.</summary>
    private static string JsonExport(params (string Model, long Input, long Output, int StatusCode)[] spans) => JsonSerializer.Serialize(new
    {
        resourceSpans = new[]
        {
            new
            {
                resource = new { attributes = new[] { new { key = "service.name", value = new { stringValue = "support-bot" } } } },
                scopeSpans = new[]
                {
                    new
                    {
                        scope = new { name = "openllmetry" },
                        spans = spans.Select((s, i) => new
                        {
                            traceId = "5b8efff798038103d269b633813fc60c",
                            spanId = $"eee19b7ec3c1b17{i}",
                            name = "openai.chat",
                            kind = 3,
                            startTimeUnixNano = "1763629200000000000",
                            endTimeUnixNano = "1763629200850000000",
                            attributes = new object[]
                            {
                                new { key = "gen_ai.system", value = new { stringValue = "openai" } },
                                new { key = "gen_ai.request.model", value = new { stringValue = s.Model } },
                                new { key = "gen_ai.usage.input_tokens", value = new { intValue = s.Input.ToString() } },
                                new { key = "gen_ai.usage.output_tokens", value = new { intValue = s.Output } },
                            },
                            status = new { code = s.StatusCode },
                        }).ToArray(),
                    },
                },
            },
        },
    });

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_json_encoded_export_does_the_same_and_rejected_spans_are_a_partial_success(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider);
        var (_, key) = await harness.CreateKeyAsync(Bob);

        var (response, body) = await harness.ExportAsync(key, JsonBody(JsonExport(("gpt-4o-mini", 1000, 200, 1), ("house-model-7", 10, 10, 0), ("gpt-4o-mini", 500, 0, 2))));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var partial = IngestHarness.Json(body).GetProperty("partialSuccess");
        partial.GetProperty("rejectedSpans").ToString().ShouldBe("1");
        partial.Text("errorMessage").ShouldContain("span 2: cost_usd is absent and model 'house-model-7' is not in the price catalog");
        var summary = await harness.Workloads.SummaryAsync(Bob);
        (summary.GetProperty("records").GetInt64(), summary.GetProperty("errors").GetInt64()).ShouldBe((2L, 1L));
        summary.GetProperty("avg_latency_ms").GetDouble().ShouldBe(850);
        summary.GetProperty("by_feature")[0].Text("name").ShouldBe("support-bot");
        (await harness.Workloads.SummaryAsync(Alice)).GetProperty("records").GetInt64().ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_revoked_key_is_refused_at_once_and_so_is_a_users_token(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider);
        var (id, key) = await harness.CreateKeyAsync(Alice);
        var export = JsonExport(("gpt-4o-mini", 1000, 200, 1));
        (await harness.ExportAsync(key, JsonBody(export))).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var (revoked, _) = await harness.Workloads.Server.SendAsync(HttpMethod.Delete, $"/api/ingest/keys/{id}", token: Token(Alice));
        revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        foreach (var credential in new[] { key, Token(Alice), "mik_" + new string('a', 43), null })
        {
            var (response, body) = await harness.ExportAsync(credential, JsonBody(export));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            IngestHarness.Json(body).Text("error_code").ShouldBe("INVALID_INGEST_KEY");
        }

        (await harness.Workloads.SummaryAsync(Alice)).GetProperty("records").GetInt64().ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_malformed_export_gets_400_and_stores_nothing(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider);
        var (_, key) = await harness.CreateKeyAsync(Alice);
        var valid = JsonExport(("gpt-4o-mini", 1000, 200, 1));
        var protobuf = new ByteArrayContent([0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);
        protobuf.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        var brokenGzip = new ByteArrayContent([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02]);
        brokenGzip.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        brokenGzip.Headers.ContentEncoding.Add("gzip");

        foreach (var content in new HttpContent[] { JsonBody(valid[..^10]), JsonBody("{\"resourceSpans\": 5}"), protobuf, brokenGzip })
        {
            var (response, body) = await harness.ExportAsync(key, content);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, Encoding.UTF8.GetString(body));
            IngestHarness.Json(body).Text("error_code").ShouldBe("BAD_REQUEST");
        }

        (await harness.Workloads.SummaryAsync(Alice)).GetProperty("records").GetInt64().ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Gzip_bodies_are_read_and_oversized_or_unsupported_ones_refused(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider, new Dictionary<string, string?> { ["Ingest:MaxBodyBytes"] = "4096" });
        var (_, key) = await harness.CreateKeyAsync(Alice);

        var (gzipped, _) = await harness.ExportAsync(key, Gzip(JsonExport(("gpt-4o-mini", 1000, 200, 1))));
        gzipped.StatusCode.ShouldBe(HttpStatusCode.OK);

        // 100 spans: small compressed, far over 4 KiB once decompressed.
        var (bomb, bombBody) = await harness.ExportAsync(key, Gzip(JsonExport([.. Enumerable.Repeat(("gpt-4o-mini", 1000L, 200L, 1), 100)])));
        bomb.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        IngestHarness.Json(bombBody).Text("error_code").ShouldBe("PAYLOAD_TOO_LARGE");

        var (text, textBody) = await harness.ExportAsync(key, new StringContent("hello", Encoding.UTF8, "text/plain"));
        text.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        IngestHarness.Json(textBody).Text("error_code").ShouldBe("UNSUPPORTED_MEDIA_TYPE");
        (await harness.Workloads.SummaryAsync(Alice)).GetProperty("records").GetInt64().ShouldBe(1);
    }

    private static ByteArrayContent Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Structured_prompts_hash_by_their_content_and_spans_without_times_are_rejected(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider);
        var (_, key) = await harness.CreateKeyAsync(Alice);
        static string Span(string start, string content) =>
            "{\"name\":\"chat\",\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"1763629200500000000\",\"attributes\":[" +
            "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o-mini\"}}," +
            "{\"key\":\"gen_ai.input.messages\",\"value\":{\"arrayValue\":{\"values\":[{\"kvlistValue\":{\"values\":[" +
            "{\"key\":\"role\",\"value\":{\"stringValue\":\"user\"}},{\"key\":\"content\",\"value\":{\"stringValue\":\"" + content + "\"}}]}}]}}}]}";
        var export = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + string.Join(",",
            Span("1763629200000000000", "What is our refund policy?"), Span("1763629200000000000", "What is our refund policy?"),
            Span("1763629200000000000", "Summarise this ticket"), Span("0", "No start time")) + "]}]}]}";

        var (response, body) = await harness.ExportAsync(key, JsonBody(export));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        IngestHarness.Json(body).GetProperty("partialSuccess").Text("errorMessage").ShouldContain("span 4: timestamp is required");
        var records = await harness.Workloads.Store.LoadAsync(Alice, Ct);
        records.Count.ShouldBe(3);
        records.Select(r => r.PromptHash).Distinct().Count().ShouldBe(2, "two different prompts, one of them sent twice");
    }
}
