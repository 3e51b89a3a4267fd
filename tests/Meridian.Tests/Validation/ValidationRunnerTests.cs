using System.Diagnostics;
using Meridian.Tests.Gateway;
using Meridian.Tests.Runs;
using Meridian.Validation;
using Meridian.Validation.Checks;

namespace Meridian.Tests.Validation;

/// <summary>The suite as a library, against a server whose pipeline never ends: the server keeps the run alive
/// (progress events, a REST call that waits), and the validation still ends within its budgets, naming why.</summary>
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
            new Dictionary<string, string?> { ["Auth:E2EBypassKey"] = ValidationServer.BypassKey });
        var runner = new ValidationRunner(new ValidationSettings
        {
            Target = server.BaseAddress,
            Credentials = new Credentials.E2EKey(ValidationServer.BypassKey),
            Modules = ["websocket_events", "agent_pipeline"],
            EventTimeout = TimeSpan.FromSeconds(2),
            RunTimeout = TimeSpan.FromSeconds(1.5),
            LatencyThreshold = TimeSpan.FromSeconds(10),
        });
        var started = new List<string>();
        var finished = new List<string>();
        runner.CheckStarted += c => started.Add(c.Id);
        runner.CheckFinished += r => finished.Add(r.Check.Id);
        var clock = Stopwatch.StartNew();

        var report = await runner.RunAsync(TestContext.Current.CancellationToken);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(90));
        report.ExitCode.ShouldBe(1);
        started.ShouldBe(runner.Selected().Select(c => c.Id));
        finished.ShouldBe(started);
        var flow = Result(report, "websocket_events.event_flow").Diagnosis!;
        flow.Kind.ShouldBe(DiagnosisKind.EventTimeout);
        flow.Summary.ShouldStartWith("timeout after 1.5 s waiting for the terminal event");
        flow.Evidence.ShouldContain(e => e.Contains("\"type\":\"agent_started\""));
        var rest = Result(report, "agent_pipeline.rest_execute").Diagnosis!;
        rest.Kind.ShouldBe(DiagnosisKind.ResponseTimeout);
        rest.Summary.ShouldBe("no answer in time to POST /api/agents/execute");
        Result(report, "websocket_events.upgrade_bearer_header").Outcome.ShouldBe(CheckOutcome.Passed);
        Result(report, "agent_pipeline.agents_listed").Outcome.ShouldBe(CheckOutcome.Passed);
    }

    private static CheckResult Result(ValidationReport report, string id) => report.Results.Single(r => r.Check.Id == id);
}
