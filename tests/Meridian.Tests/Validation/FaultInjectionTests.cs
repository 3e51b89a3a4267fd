using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Meridian.Validation.Modules;

namespace Meridian.Tests.Validation;

/// <summary>The validator between a real server and a fault-injecting proxy: against the healthy server every check
/// passes (exit 0, within 30 s); each injected fault makes <c>meridian validate</c> exit 1 naming that diagnosis.</summary>
public sealed class FaultInjectionTests(ValidationServer fixture) : IClassFixture<ValidationServer>
{
    [Fact]
    public async Task A_healthy_server_passes_every_check_within_30_seconds()
    {
        var run = await ValidationServer.ValidateAsync(fixture.Target);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Elapsed.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(30));
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

        var run = await ValidationServer.ValidateAsync(proxy.BaseAddress);

        run.ExitCode.ShouldBe(0, run.ToString());
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
    public async Task A_run_that_never_sends_its_terminal_event_is_named_and_the_run_does_not_hang()
    {
        var run = await FailingAsync(
            new Fault.RewriteFrames(frame => frame["type"]?.GetValue<string>() is "agent_completed" or "agent_failed" or "agent_stopped" ? null : frame),
            "--run-timeout", "1.5", "--module", "websocket_events,message_flow,critical_path");

        Named(run, "websocket_events.event_flow", "event_timeout", "waiting for the terminal event (agent_completed, agent_failed or agent_stopped) of run_")
            .ShouldContain(e => e.Contains("\"seq\":"));  // the last events seen, as evidence
        run.Outcome("websocket_events.upgrade_bearer_header").ShouldBe("passed");
        run.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task A_latency_above_the_threshold_is_named()
    {
        var run = await FailingAsync(null, "--latency-threshold", "0.000001", "--module", "startup_resilience");

        Named(run, "startup_resilience.health", "latency_above_threshold", "GET /health took ");
        run.Outcome("startup_resilience.discovery").ShouldBe("passed");
    }

    [Fact]
    public async Task A_101_that_selects_no_subprotocol_is_named()
    {
        var run = await FailingAsync(new Fault.SelectNoSubprotocol(), "--module", "websocket_events");

        Named(run, "websocket_events.upgrade_browser_subprotocol", "subprotocol_negotiation", "the 101 selected no subprotocol");
        run.Outcome("websocket_events.upgrade_bearer_header").ShouldBe("passed");
    }

    [Fact]
    public async Task Events_delivered_to_another_user_are_named()
    {
        var run = await FailingAsync(new Fault.Broadcast(), "--module", "coordination");

        Named(run, "coordination.isolation_between_users", "wrong_user", "'s run run_").ShouldContain(e => e.Contains("\"type\":\"agent_started\""));
        run.Diagnosis("coordination.isolation_between_users").Summary.ShouldMatch(@"^\d+ frame\(s\) of user_\w+'s run run_\w+ reached a socket of user_\w+$");
    }

    [Fact]
    public async Task A_lost_event_is_a_seq_violation_and_a_lost_completion_a_pairing_violation()
    {
        var lost = await FailingAsync(new Fault.RewriteFrames(frame => frame["seq"]?.GetValue<long>() == 2 ? null : frame), "--module", "lifecycle_events,websocket_events");

        Named(lost, "lifecycle_events.seq_contiguous", "seq_violation", "where 2 was expected: 1 event(s) missing");
        lost.Diagnosis("websocket_events.event_flow").Id.ShouldBe("seq_violation");

        var unpaired = await FailingAsync(new Fault.RewriteFrames(frame => frame["type"]?.GetValue<string>() == "subagent_completed" ? null : frame), "--module", "lifecycle_events");

        Named(unpaired, "lifecycle_events.pairs_closed", "pairing_violation", "never completed");
        unpaired.Outcome("lifecycle_events.started_first_terminal_last").ShouldBe("passed");
    }

    /// <summary>Validates through the proxy with the fault (none: straight at the server) and requires exit 1.</summary>
    private async Task<CliRun> FailingAsync(Fault? fault, params string[] extra)
    {
        CliRun run;
        if (fault is null)
        {
            run = await ValidationServer.ValidateAsync(fixture.Target, extra);
        }
        else
        {
            await using var proxy = await FaultProxy.StartAsync(fixture.Target, fault);
            run = await ValidationServer.ValidateAsync(proxy.BaseAddress, extra);
        }

        run.ExitCode.ShouldBe(1, run.ToString());
        return run;
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
