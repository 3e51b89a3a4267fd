using Meridian.Tests.Auth;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Telemetry.Otlp;

namespace Meridian.Tests.Telemetry;

/// <summary>The server as deployed with an OpenTelemetry collector: a separate process configured only by the
/// standard OTEL_* variables, exporting over OTLP/HTTP to a receiver in the test (docs/operations.md#7-traces).</summary>
[Collection(SerialProcesses.Name)]
public sealed class TraceExportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_chat_message_is_exported_as_a_run_trace_of_stages_tool_calls_and_model_calls(StorageProvider storage)
    {
        await using var database = await TestDatabase.CreateAsync(storage);
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var provider = await FakeProvider.AlwaysAsync(Wire.OpenAi, new Answer(["## Summary", "\n\nModel prose."], InputTokens: 300, OutputTokens: 40));
        await using var server = ServerProcess.Start(Environment(receiver, provider, database));
        await server.WaitForHealthyAsync(Patience);

        var runId = await ChatAsync(server);
        var spans = await receiver.WaitForAsync(s => s.Any(x => x.Name == "ws connection") && HasRun(s, runId), Patience);

        var run = spans.Single(s => s.Name.StartsWith("run ", StringComparison.Ordinal) && Attribute(s, "meridian.run.id") == runId);
        run.ParentSpanId.IsEmpty.ShouldBeTrue("a run is the root of its own trace");
        var connection = spans.Single(s => s.Name == "ws connection");
        run.Links.ShouldHaveSingleItem().SpanId.ShouldBe(connection.SpanId, "the run links to the connection its message came on");
        spans.ShouldContain(s => s.SpanId == connection.ParentSpanId && s.Kind == Span.Types.SpanKind.Server, "the connection is inside its upgrade request's span");

        var children = Children(spans, run).ToList();
        children.ShouldAllBe(s => s.Name.StartsWith("stage ", StringComparison.Ordinal) || IsPostgres(s), "a run holds its stages (and its own database commands)");
        var stages = children.Where(s => !IsPostgres(s)).ToList();
        stages.Select(s => s.Name).ShouldContain("stage triage");
        stages.Select(s => s.Name).ShouldContain("stage reporting");
        var tools = stages.SelectMany(s => Children(spans, s)).Where(s => s.Name.StartsWith("execute_tool ", StringComparison.Ordinal)).ToList();
        tools.ShouldNotBeEmpty();
        tools.ShouldAllBe(t => Attribute(t, "gen_ai.operation.name") == "execute_tool" && Attribute(t, "gen_ai.tool.name") == t.Name.Substring(13));

        var reporting = stages.Single(s => s.Name == "stage reporting");
        var model = Children(spans, reporting).Where(s => !IsPostgres(s)).ShouldHaveSingleItem();
        model.Name.ShouldBe("chat test-model");
        model.Kind.ShouldBe(Span.Types.SpanKind.Client);
        (Attribute(model, "gen_ai.operation.name"), Attribute(model, "gen_ai.provider.name")).ShouldBe(("chat", "openai"));
        (Attribute(model, "gen_ai.request.model"), Attribute(model, "gen_ai.response.model")).ShouldBe(("test-model", "test-model-2025-01-01"));
        (IntAttribute(model, "gen_ai.usage.input_tokens"), IntAttribute(model, "gen_ai.usage.output_tokens")).ShouldBe((300L, 40L));
        Children(spans, model).ShouldContain(s => s.Kind == Span.Types.SpanKind.Client && Attribute(s, "http.request.method") == "POST",
            "the provider's HTTP call is inside the model call");

        foreach (var span in stages.Concat(tools).Append(model))
        {
            span.TraceId.ShouldBe(run.TraceId, span.Name);
            Attribute(span, "meridian.run.id").ShouldBe(runId, span.Name);
        }

        if (storage == StorageProvider.Postgres)
        {
            spans.ShouldContain(s => s.TraceId == run.TraceId && s.Kind == Span.Types.SpanKind.Client && IsPostgres(s),
                "the run's PostgreSQL commands are in its trace");
        }

        receiver.Spans.ShouldAllBe(s => s.Service == "meridian-otel-test");
        server.Output.ShouldContain($"GatewayEndpoint[701] trace_id={Hex(connection.TraceId)} span_id={Hex(connection.SpanId)}\n",
            customMessage: "the socket's closing log line names its span");
        await ShouldStillServePrometheusTextAsync(server);
    }

    /// <summary>The database's settings as MERIDIAN_ variables, a fake OpenAI-compatible provider, and the standard
    /// OTEL_* variables pointing at the receiver (spans exported every 200 ms).</summary>
    private static Dictionary<string, string?> Environment(OtlpReceiver receiver, FakeProvider provider, TestDatabase database)
    {
        var environment = database.Settings.Where(s => s.Value is not null)
            .ToDictionary(s => "MERIDIAN_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["MERIDIAN_Auth__JwtSecret"] = AuthHarness.Secret;
        environment["MERIDIAN_Llm__Provider"] = "openai";
        environment["MERIDIAN_Llm__BaseUrl"] = provider.BaseUrl;
        environment["MERIDIAN_Llm__ApiKey"] = "sk-test-0123456789abcdef";
        environment["MERIDIAN_Llm__Model"] = "test-model";
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/');
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_SERVICE_NAME"] = "meridian-otel-test";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        return environment;
    }

    /// <summary>One chat message over the WebSocket, its run followed to <c>agent_completed</c>; then the socket is
    /// closed, which ends (and exports) its connection span.</summary>
    private static async Task<string> ChatAsync(ServerProcess server)
    {
        var token = AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "traced-user" });
        await using var client = await WsClient.OpenAsync(server.BaseAddress!, token);
        await client.SendAsync(new { type = "message", content = "We spend $5000/month on GPT-4; cut it 30%." });
        var accepted = await client.ExpectTypeAsync("run_accepted", Patience);
        var completed = await client.ExpectTypeAsync("agent_completed", Patience);
        completed.GetProperty("run_id").GetString().ShouldBe(accepted.GetProperty("run_id").GetString());
        return accepted.GetProperty("run_id").GetString()!;
    }

    private static async Task ShouldStillServePrometheusTextAsync(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        text.ShouldContain("# TYPE meridian_runs_ended_total counter\n");
        text.ShouldContain("meridian_runs_ended_total{status=\"completed\"} 1\n");
        text.ShouldContain("# TYPE meridian_runs_stage_duration_seconds histogram\n");
        text.ShouldContain("# TYPE meridian_ws_frames_received_total counter\n");
        text.Split('\n').ShouldContain(l => l.StartsWith("meridian_llm_tokens_total{", StringComparison.Ordinal)
            && l.Contains("direction=\"input\"", StringComparison.Ordinal) && l.EndsWith("} 300", StringComparison.Ordinal));
    }

    private static bool HasRun(IReadOnlyList<Span> spans, string runId) =>
        spans.Any(s => s.Name.StartsWith("run ", StringComparison.Ordinal) && Attribute(s, "meridian.run.id") == runId);

    private static IEnumerable<Span> Children(IReadOnlyList<Span> spans, Span parent) =>
        spans.Where(s => s.ParentSpanId == parent.SpanId && s.TraceId == parent.TraceId);

    private static bool IsPostgres(Span span) =>
        span.Attributes.Any(a => a.Key is "db.system" or "db.system.name" && a.Value.StringValue == "postgresql");

    private static string Hex(Google.Protobuf.ByteString id) => Convert.ToHexStringLower(id.ToByteArray());

    private static string? Attribute(Span span, string key) =>
        span.Attributes.FirstOrDefault(a => a.Key == key)?.Value.StringValue;

    private static long? IntAttribute(Span span, string key) =>
        span.Attributes.FirstOrDefault(a => a.Key == key)?.Value.IntValue;
}
