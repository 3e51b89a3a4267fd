using System.Diagnostics;
using Meridian.Tests.Gateway;
using Meridian.Tests.Runs;
using Meridian.Validation;
using Meridian.Validation.Checks;

namespace Meridian.Tests.Validation;

/// <summary>The suite as a library, against a server whose pipeline never ends: the server keeps the run alive
/// (progress events, a REST call that waits), and the validation still ends within its budgets, naming why: the
/// first wait for a run's end says the run is still running on the server, and the checks after it that need a
/// run to end fail at once with that diagnosis.</summary>
public sealed class ValidationRunnerTests
{
    [Fact]
    public async Task A_pipeline_that_never_ends_is_diagnosed_and_the_validation_still_ends()
    {
        await using var server = await GatewayHarness.StartAsync(
            new ScriptedPipeline(async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return ScriptedPipeline.Done();
            }),
            new Dictionary<string, string?> { ["Auth:E2EBypassKey"] = ValidationHarness.BypassKey });
        var runner = new ValidationRunner(new ValidationSettings
        {
            Target = server.BaseAddress,
            Credentials = new Credentials.E2EKey(ValidationHarness.BypassKey),
            Modules = ["websocket_events", "agent_pipeline"],
            // The default timeouts: the run is waited for once (15 s), not once per check.
            LatencyThreshold = TimeSpan.FromSeconds(10),
        });
        var started = new List<string>();
        var finished = new List<string>();
        runner.CheckStarted += c => started.Add(c.Id);
        runner.CheckFinished += r => finished.Add(r.Check.Id);
        var clock = Stopwatch.StartNew();

        var report = await runner.RunAsync(TestContext.Current.CancellationToken);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(90));
        report.Duration.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(30));
        report.ExitCode.ShouldBe(1);
        started.ShouldBe(runner.Selected().Select(c => c.Id));
        finished.ShouldBe(started);
        var flow = Result(report, "websocket_events.event_flow").Diagnosis!;
        flow.Kind.ShouldBe(DiagnosisKind.EventTimeout, string.Join("\n", [flow.ToString(), .. flow.Evidence]));
        flow.Summary.ShouldStartWith("timeout after 15 s waiting for the terminal event");
        flow.Summary.ShouldContain(": the run is still running server-side (GET /api/runs/run_");
        flow.Summary.ShouldEndWith("it did not end within the run timeout");
        flow.Evidence.ShouldContain(e => e.Contains("\"type\":\"agent_started\""));
        // Every later check that waits for a run's end fails at once, with that diagnosis.
        foreach (var id in new[] { "agent_pipeline.rest_execute", "agent_pipeline.single_agent", "agent_pipeline.stages_complete" })
        {
            var dependent = Result(report, id);
            dependent.Diagnosis!.Kind.ShouldBe(DiagnosisKind.EventTimeout, id);
            dependent.Diagnosis.DependsOn.ShouldBe("websocket_events.event_flow");
            dependent.Diagnosis.Summary.ShouldBe($"not attempted: depends on runs ending within the run timeout, which failed in websocket_events.event_flow: {flow.Summary}");
        }

        Result(report, "websocket_events.upgrade_bearer_header").Outcome.ShouldBe(CheckOutcome.Passed);
        Result(report, "agent_pipeline.agents_listed").Outcome.ShouldBe(CheckOutcome.Passed);
    }

    private static CheckResult Result(ValidationReport report, string id) => report.Results.Single(r => r.Check.Id == id);
}
