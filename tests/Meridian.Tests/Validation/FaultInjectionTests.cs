using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Meridian.Validation.Modules;

namespace Meridian.Tests.Validation;

/// <summary>The validator between a real server and a fault-injecting proxy: against the healthy server every check
/// passes (exit 0, within 20 s); each injected fault makes <c>meridian validate</c> exit 1 naming that diagnosis, within 30 s.</summary>
public sealed class FaultInjectionTests(ValidationHarness fixture) : IClassFixture<ValidationHarness>
{
    /// <summary>The most a whole validation may take to diagnose any one injected fault.</summary>
    private static readonly TimeSpan FaultDiagnosed = TimeSpan.FromSeconds(30);

    /// <summary>The most a whole validation of a healthy deployment may take.</summary>
    private static readonly TimeSpan HealthyValidated = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_healthy_server_passes_every_check_within_30_seconds()
    {
        var run = await ValidationHarness.ValidateAsync(fixture.Target);

        run.ExitCode.ShouldBe(0, run.ToString());
        Measured(run, "healthy");
        run.Duration.ShouldBeLessThanOrEqualTo(HealthyValidated);
        var checks = run.Report.GetProperty("checks").EnumerateArray().ToList();
        checks.Count.ShouldBe(Catalog.All.Sum(m => m.Checks.Count));
        checks.Select(c => c.GetProperty("module").GetString()).Distinct().Count().ShouldBe(10);
        checks.ShouldAllBe(c => c.GetProperty("outcome").GetString() == "passed");
        run.Output.ShouldContain("PASS");
        XDocument.Parse(run.JUnit).Root!.Attribute("failures")!.Value.ShouldBe("0");
    }

    [Fact]
    public async Task Through_the_proxy_without_a_fault_every_check_passes()
    {
        await using var proxy = await FaultProxy.StartAsync(fixture.Target);

        var run = await ValidationHarness.ValidateAsync(proxy.BaseAddress);

        run.ExitCode.ShouldBe(0, run.ToString());
        Measured(run, "healthy, through the proxy");
        run.Duration.ShouldBeLessThanOrEqualTo(HealthyValidated);
    }

    [Fact]
    public async Task A_403_on_the_upgrade_is_named()
    {
        var run = await FailingAsync(new Fault.UpgradeStatus(403));

        Named(run, "websocket_events.upgrade_bearer_header", "upgrade_rejected", "HTTP 403 on the WebSocket upgrade");
        run.Outcome("startup_resilience.health").ShouldBe("passed");
        run.Output.ShouldContain("HTTP 403 on the WebSocket upgrade");
        run.Markdown.ShouldContain("HTTP status on the WebSocket upgrade");
        XDocument.Parse(run.JUnit).Descendants("failure").ShouldContain(f => f.Attribute("type")!.Value == "upgrade_rejected");
    }

    [Fact]
    public async Task A_1011_close_right_after_the_welcome_is_named()
    {
        var run = await FailingAsync(new Fault.CloseAfterWelcome(WebSocketCloseStatus.InternalServerError));

        Named(run, "websocket_events.upgrade_bearer_header", "socket_closed", "socket closed with code 1011 (internal error");
        run.Diagnosis("websocket_events.upgrade_bearer_header").Summary.ShouldContain("after the welcome");
    }

    [Fact]
    public async Task A_307_on_health_is_named()
    {
        var run = await FailingAsync(new Fault.HttpAnswer("/health", 307, "https://meridian.example/health"));

        Named(run, "startup_resilience.health", "redirect", "GET /health answered 307").ShouldContain("Location: https://meridian.example/health");
        run.Diagnosis("critical_path.critical_endpoints").Id.ShouldBe("redirect");
        run.FailedWith("redirect").Count.ShouldBe(run.Report.GetProperty("totals").GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task A_500_on_service_discovery_is_named()
    {
        var run = await FailingAsync(new Fault.HttpAnswer("/api/discovery/services", 500));

        Named(run, "startup_resilience.discovery", "http_status", "GET /api/discovery/services answered 500");
        run.FailedWith("http_status").Select(c => c.GetProperty("id").GetString()).ShouldBe(
            ["startup_resilience.discovery", "startup_resilience.discovered_socket_connects", "critical_path.critical_endpoints"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_welcome_in_another_shape_is_named_with_a_diff()
    {
        // The shape an earlier system sent: the fields at the top level, under another type.
        var run = await FailingAsync(new Fault.RewriteFrames(frame =>
        {
            if (frame["type"]?.GetValue<string>() != "system_message")
            {
                return frame;
            }

            var data = frame["data"]!.AsObject();
            return new JsonObject
            {
                ["type"] = "connection_established",
                ["connection_id"] = data["connection_id"]!.DeepClone(),
                ["user_id"] = data["user_id"]!.DeepClone(),
                ["factory_pattern_enabled"] = true,
            };
        }));

        var evidence = Named(run, "websocket_events.upgrade_bearer_header", "welcome_mismatch", "the first frame is not the welcome");
        evidence.ShouldContain("- type: \"system_message\"");
        evidence.ShouldContain("+ type: \"connection_established\"");
        evidence.ShouldContain("+ data.event: (missing)");
    }

    [Fact]
    public async Task A_proxy_that_drops_every_runs_terminal_event_is_diagnosed_once_and_the_checks_depending_on_it_fail_at_once()
    {
        var run = await FailingAsync(new Fault.DropTerminalEvents());

        var (_, summary, evidence) = run.Diagnosis("websocket_events.event_flow");
        Named(run, "websocket_events.event_flow", "event_timeout", "waiting for the terminal event (agent_completed, agent_failed or agent_stopped) of run_");
        summary.ShouldContain("the run completed server-side");
        summary.ShouldContain("but the socket never delivered its terminal event agent_completed");
        evidence.ShouldContain(e => e.Contains("\"seq\":"));  // the last events seen
        evidence.ShouldContain(e => e.StartsWith("GET /api/runs/run_", StringComparison.Ordinal) && e.Contains("completed"));
        foreach (var dependent in new[]
        {
            "message_flow.message_round_trip", "message_flow.thread_history", "agent_pipeline.single_agent", "agent_orchestration.concurrent_runs",
            "response_streaming.sse_stream", "failure_recovery.resume_after_disconnect", "lifecycle_events.seq_contiguous",
            "coordination.fanout_to_user_sockets", "critical_path.browser_chat_end_to_end",
        })
        {
            var (id, said, _) = run.Diagnosis(dependent);
            id.ShouldBe("event_timeout", dependent);
            said.ShouldStartWith("not attempted: depends on run terminal events delivered over the socket, which failed in websocket_events.event_flow: ", Case.Sensitive, dependent);
            run.Check(dependent).GetProperty("diagnosis").GetProperty("depends_on").GetString().ShouldBe("websocket_events.event_flow");
        }

        run.Markdown.ShouldContain("Evidence: under websocket_events.event_flow.");
        run.Output.ShouldContain("evidence: under websocket_events.event_flow");

        // What does not need the socket's terminal event still passes.
        run.Outcome("websocket_events.upgrade_bearer_header").ShouldBe("passed");
        run.Outcome("agent_pipeline.rest_execute").ShouldBe("passed");
        run.Outcome("agent_orchestration.stop_run").ShouldBe("passed");
    }

    [Fact]
    public async Task An_upgrade_that_is_never_answered_is_waited_for_once()
    {
        var run = await FailingAsync(new Fault.UpgradeNeverAnswered());

        Named(run, "websocket_events.upgrade_bearer_header", "connect_timeout", "no WebSocket upgrade from ");
        var (id, said, _) = run.Diagnosis("critical_path.browser_chat_end_to_end");
        id.ShouldBe("connect_timeout");
        said.ShouldStartWith("not attempted: depends on the WebSocket upgrade and its welcome, which failed in websocket_events.upgrade_bearer_header: ");
        run.Outcome("startup_resilience.health").ShouldBe("passed");
        run.Outcome("agent_pipeline.rest_execute").ShouldBe("passed");
    }

    [Fact]
    public async Task An_api_that_answers_nothing_is_waited_for_once_before_the_first_check()
    {
        var run = await FailingAsync(new Fault.HttpNeverAnswered());

        const string found = "which failed at the sign-in before the first check: no answer to the sign-in within 10 s, nor to GET /health (no answer within 5 s)";
        var (id, said, _) = run.Diagnosis("websocket_events.upgrade_bearer_header");
        id.ShouldBe("response_timeout");
        said.ShouldBe("not attempted: depends on a signed-in user, " + found);
        run.Diagnosis("startup_resilience.health").Summary.ShouldBe("not attempted: depends on the target answering HTTP, " + found);
        run.Check("startup_resilience.health").GetProperty("diagnosis").GetProperty("depends_on").GetString().ShouldBe("sign_in");
        run.Report.GetProperty("checks").EnumerateArray().ShouldAllBe(c => c.GetProperty("outcome").GetString() == "failed");
    }

    [Fact]
    public async Task A_socket_that_answers_nothing_is_waited_for_once()
    {
        var run = await FailingAsync(new Fault.DropClientFrames());

        Named(run, "websocket_events.upgrade_bearer_header", "event_timeout", "waiting for pong");
        foreach (var dependent in new[] { "message_flow.message_round_trip", "coordination.isolation_between_users", "critical_path.browser_chat_end_to_end" })
        {
            var (id, said, _) = run.Diagnosis(dependent);
            id.ShouldBe("event_timeout", dependent);
            said.ShouldStartWith("not attempted: depends on the socket answering frames (a ping's pong), which failed in websocket_events.upgrade_bearer_header: ", Case.Sensitive, dependent);
        }

        run.Outcome("websocket_events.welcome_latency").ShouldBe("passed");
        run.Outcome("startup_resilience.health").ShouldBe("passed");
    }

    [Fact]
    public async Task A_latency_above_the_threshold_is_named()
    {
        var run = await FailingAsync(null, "--latency-threshold", "0.000001");

        Named(run, "startup_resilience.health", "latency_above_threshold", "GET /health took ");
        run.Outcome("startup_resilience.discovery").ShouldBe("passed");
    }

    [Fact]
    public async Task A_101_that_selects_no_subprotocol_is_named()
    {
        var run = await FailingAsync(new Fault.SelectNoSubprotocol());

        Named(run, "websocket_events.upgrade_browser_subprotocol", "subprotocol_negotiation", "the 101 selected no subprotocol");
        run.Outcome("websocket_events.upgrade_bearer_header").ShouldBe("passed");
    }

    [Fact]
    public async Task Events_delivered_to_another_user_are_named()
    {
        var run = await FailingAsync(new Fault.Broadcast());

        Named(run, "coordination.isolation_between_users", "wrong_user", "'s run run_").ShouldContain(e => e.Contains("\"type\":\"agent_started\""));
        run.Diagnosis("coordination.isolation_between_users").Summary.ShouldMatch(@"^\d+ frame\(s\) of user_\w+'s run run_\w+ reached a socket of user_\w+$");
    }

    [Fact]
    public async Task A_lost_event_is_a_seq_violation_and_a_lost_completion_a_pairing_violation()
    {
        var lost = await FailingAsync(new Fault.RewriteFrames(frame => frame["seq"]?.GetValue<long>() == 2 ? null : frame));

        Named(lost, "lifecycle_events.seq_contiguous", "seq_violation", "where 2 was expected: 1 event(s) missing");
        lost.Diagnosis("websocket_events.event_flow").Id.ShouldBe("seq_violation");

        var unpaired = await FailingAsync(new Fault.RewriteFrames(frame => frame["type"]?.GetValue<string>() == "subagent_completed" ? null : frame));

        Named(unpaired, "lifecycle_events.pairs_closed", "pairing_violation", "never completed");
        unpaired.Outcome("lifecycle_events.started_first_terminal_last").ShouldBe("passed");
    }

    /// <summary>Validates (every module, the default timeouts) through the proxy with the fault (none: straight at
    /// the server) and requires exit 1, with the fault diagnosed within 30 s by the validation's own clock.</summary>
    private async Task<CliRun> FailingAsync(Fault? fault, params string[] extra)
    {
        CliRun run;
        if (fault is null)
        {
            run = await ValidationHarness.ValidateAsync(fixture.Target, extra);
        }
        else
        {
            await using var proxy = await FaultProxy.StartAsync(fixture.Target, fault);
            run = await ValidationHarness.ValidateAsync(proxy.BaseAddress, extra);
        }

        run.ExitCode.ShouldBe(1, run.ToString());
        Measured(run, fault?.GetType().Name ?? string.Join(' ', extra));
        run.Duration.ShouldBeLessThanOrEqualTo(FaultDiagnosed, run.ToString());
        return run;
    }

    /// <summary>Writes the validation's time to the test output (what docs/cli.md quotes).</summary>
    private static void Measured(CliRun run, string what)
    {
        var totals = run.Report.GetProperty("totals");
        var checks = run.Report.GetProperty("checks").EnumerateArray().ToList();
        var outside = run.Duration - TimeSpan.FromMilliseconds(checks.Sum(c => c.GetProperty("duration_ms").GetInt64()));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"validate [{what}]: exit {run.ExitCode}, {totals.GetProperty("passed")} passed, {totals.GetProperty("failed")} failed in {run.Duration.TotalSeconds:0.0} s "
            + $"(process {run.Elapsed.TotalSeconds:0.0} s, outside the checks {outside.TotalSeconds:0.0} s; slowest: "
            + string.Join(", ", checks.OrderByDescending(c => c.GetProperty("duration_ms").GetInt64()).Take(3).Select(c => $"{c.GetProperty("id").GetString()} {c.GetProperty("duration_ms").GetInt64()} ms")) + ")");
    }

    /// <summary>Requires the check to have failed with this diagnosis, its summary saying this; returns the evidence.</summary>
    private static List<string> Named(CliRun run, string check, string diagnosis, string saying)
    {
        var (id, summary, evidence) = run.Diagnosis(check);
        id.ShouldBe(diagnosis, run.ToString());
        summary.ShouldContain(saying);
        return evidence;
    }
}
