using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Tests.Validation;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian load</c> as a process against a real server, directly and through the fault-injecting
/// proxy: a healthy server gives zero lost events and a full report; a dropped or repeated event is caught by seq.</summary>
public sealed class LoadCommandTests(ValidationHarness fixture) : IClassFixture<ValidationHarness>
{
    [Fact]
    public async Task A_few_users_for_a_few_seconds_lose_no_event_and_the_report_has_every_figure()
    {
        var (run, report, dir) = await LoadAsync(fixture.Target, "--users", "3", "--duration", "4s", "--ramp", "1s", "--think-time", "200ms");

        run.ExitCode.ShouldBe(0, run.ToString());
        var totals = report.GetProperty("totals");
        totals.GetProperty("lost_events").GetInt64().ShouldBe(0);
        totals.GetProperty("duplicated_events").GetInt64().ShouldBe(0);
        totals.GetProperty("errors").GetInt32().ShouldBe(0);
        totals.GetProperty("users_connected").GetInt32().ShouldBe(3);
        report.GetProperty("settings").GetProperty("distinct_users").GetInt32().ShouldBe(3);
        var turns = totals.GetProperty("turns_completed").GetInt32();
        turns.ShouldBeGreaterThanOrEqualTo(3);
        totals.GetProperty("turns_failed").GetInt32().ShouldBe(0);
        // Every run has at least agent_started and its terminal event.
        totals.GetProperty("events").GetInt64().ShouldBeGreaterThanOrEqualTo(2L * turns);
        foreach (var measure in new[] { "connect_ms", "first_event_ms", "turn_latency_ms" })
        {
            var figures = report.GetProperty(measure);
            foreach (var field in new[] { "count", "min", "mean", "p50", "p95", "p99", "max" })
            {
                figures.TryGetProperty(field, out _).ShouldBeTrue($"{measure}.{field}");
            }

            figures.GetProperty("p50").GetDouble().ShouldBeLessThanOrEqualTo(figures.GetProperty("p99").GetDouble());
        }

        report.GetProperty("connect_ms").GetProperty("count").GetInt32().ShouldBe(3);
        report.GetProperty("turn_latency_ms").GetProperty("count").GetInt32().ShouldBe(turns);
        report.GetProperty("turn_latency_ms").GetProperty("max").GetDouble().ShouldBeGreaterThan(0);
        report.GetProperty("errors_by_kind").EnumerateObject().ShouldBeEmpty();
        report.GetProperty("verdict").GetString().ShouldBe("pass");
        File.ReadAllText(Path.Combine(dir, "load.md")).ShouldContain("# Load test: PASS");
        run.Output.ShouldContain("PASS");
    }

    [Fact]
    public async Task An_event_the_proxy_drops_is_reported_as_a_seq_gap_and_fails_the_test()
    {
        // Every run loses its second event on the way.
        await using var proxy = await FaultProxy.StartAsync(fixture.Target, new Fault.RewriteFrames(f => Seq(f) == 2 ? null : f));

        var (run, report, _) = await LoadAsync(proxy.BaseAddress, "--users", "2", "--duration", "2s", "--think-time", "100ms");

        run.ExitCode.ShouldBe(1, run.ToString());
        var totals = report.GetProperty("totals");
        var runs = totals.GetProperty("turns_started").GetInt32();
        runs.ShouldBeGreaterThanOrEqualTo(2);
        totals.GetProperty("lost_events").GetInt64().ShouldBe(runs);
        totals.GetProperty("duplicated_events").GetInt64().ShouldBe(0);
        report.GetProperty("seq_violations").EnumerateArray().First().GetString()!.ShouldContain("where 2 was expected: 1 event(s) missing");
        run.Output.ShouldContain("FAIL");
        run.Output.ShouldContain("seq gap");
    }

    [Fact]
    public async Task An_event_delivered_twice_is_reported_as_duplicated()
    {
        // The third event of each run arrives carrying the second one's seq.
        await using var proxy = await FaultProxy.StartAsync(fixture.Target, new Fault.RewriteFrames(f =>
        {
            if (Seq(f) == 3)
            {
                f["seq"] = 2;
            }

            return f;
        }));

        var (run, report, _) = await LoadAsync(proxy.BaseAddress, "--users", "1", "--duration", "1s");

        run.ExitCode.ShouldBe(1, run.ToString());
        var totals = report.GetProperty("totals");
        totals.GetProperty("duplicated_events").GetInt64().ShouldBe(totals.GetProperty("turns_started").GetInt32());
        report.GetProperty("seq_violations").EnumerateArray().Select(v => v.GetString()).ShouldContain(v => v!.Contains("seq 2 (") && v.Contains("delivered again"));
    }

    [Fact]
    public async Task An_event_delivered_again_after_its_run_ended_is_reported_as_duplicated()
    {
        // Each run's terminal event arrives twice: the copy comes when the turn has stopped reading the run.
        await using var proxy = await FaultProxy.StartAsync(fixture.Target, new Fault.RepeatTerminalEvents());

        var (run, report, _) = await LoadAsync(proxy.BaseAddress, "--users", "2", "--duration", "2s", "--think-time", "300ms");

        run.ExitCode.ShouldBe(1, run.ToString());
        var totals = report.GetProperty("totals");
        totals.GetProperty("turns_completed").GetInt32().ShouldBe(totals.GetProperty("turns_started").GetInt32(), run.ToString());
        totals.GetProperty("duplicated_events").GetInt64().ShouldBe(totals.GetProperty("turns_started").GetInt32(), run.ToString());
        totals.GetProperty("lost_events").GetInt64().ShouldBe(0);
        report.GetProperty("seq_violations").EnumerateArray().Select(v => v.GetString()).ShouldContain(v => v!.Contains("delivered again after the run ended"));
    }

    [Fact]
    public async Task Arguments_or_credentials_it_cannot_use_exit_2()
    {
        var target = fixture.Target.ToString();
        (await CliProcess.RunAsync("load", "--target", target)).Error.ShouldContain("Give credentials");
        (await CliProcess.RunAsync("load", "--target", target, "--e2e-key", ValidationHarness.BypassKey, "--duration", "soon")).ExitCode.ShouldBe(2);
        (await CliProcess.RunAsync("load", "--target", target, "--e2e-key", ValidationHarness.BypassKey, "--users", "0")).ExitCode.ShouldBe(2);
        var refused = await CliProcess.RunAsync("load", "--target", target, "--e2e-key", "not-the-key-0123456789", "--users", "2", "--duration", "1s");
        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.Error.ShouldContain("INVALID_BYPASS_KEY");
        var unreachable = await CliProcess.RunAsync("load", "--target", "http://127.0.0.1:9", "--dev-login", "--duration", "1s");
        unreachable.ExitCode.ShouldBe(2, unreachable.ToString());
        unreachable.Error.ShouldContain("could not reach");
    }

    private static long? Seq(JsonObject frame) => frame["seq"] is JsonValue v && v.TryGetValue<long>(out var seq) ? seq : null;

    private static async Task<(CliRun Run, JsonElement Report, string Directory)> LoadAsync(Uri target, params string[] extra)
    {
        var dir = Directory.CreateTempSubdirectory("meridian-load-").FullName;
        var run = await CliProcess.RunAsync(["load", "--target", target.ToString(), "--e2e-key", ValidationHarness.BypassKey, "--report-dir", dir, .. extra]);
        var json = Path.Combine(dir, "load.json");
        File.Exists(json).ShouldBeTrue(run.ToString());
        return (run, JsonDocument.Parse(File.ReadAllText(json)).RootElement.Clone(), dir);
    }
}
