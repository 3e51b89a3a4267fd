using Meridian.Client;
using Meridian.Validation.Modules;

namespace Meridian.Tests.Validation;

/// <summary>The <c>meridian</c> process's exit codes: 0 pass, 1 fail, 2 could not run; and <c>meridian token</c>.</summary>
public sealed class ExitCodeTests(ValidationHarness fixture) : IClassFixture<ValidationHarness>
{
    [Fact]
    public async Task Arguments_it_cannot_use_exit_2_without_running_anything()
    {
        (await CliProcess.RunAsync("validate", "--target", fixture.Target.ToString(), "--no-such-option")).ExitCode.ShouldBe(2);
        (await CliProcess.RunAsync("validate", "--target", "not a url", "--dev-login")).ExitCode.ShouldBe(2);
        (await CliProcess.RunAsync("validate", "--target", fixture.Target.ToString())).Error.ShouldContain("Give credentials");
        (await CliProcess.RunAsync("validate", "--target", fixture.Target.ToString(), "--dev-login", "--token", "x")).ExitCode.ShouldBe(2);
        var unknown = await CliProcess.RunAsync("validate", "--target", fixture.Target.ToString(), "--dev-login", "--module", "no_such_module");
        unknown.ExitCode.ShouldBe(2);
        unknown.Error.ShouldContain("unknown module(s): no_such_module");
    }

    [Fact]
    public async Task Credentials_the_server_refuses_exit_2_and_say_so_in_every_report()
    {
        var run = await CliProcess.RunAsync("validate", "--target", fixture.Target.ToString(), "--e2e-key", "not-the-key-0123456789");

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Output.ShouldContain("POST /auth/e2e/test-auth was refused");
        run.Output.ShouldContain("401");
        run.Report.GetProperty("exit_code").GetInt32().ShouldBe(2);
        run.Report.GetProperty("could_not_run").GetString()!.ShouldContain("INVALID_BYPASS_KEY");
        run.JUnit.ShouldContain("<error");
    }

    [Fact]
    public async Task An_unreachable_target_fails_with_a_tcp_diagnosis()
    {
        var run = await CliProcess.RunAsync("validate", "--target", "http://127.0.0.1:9", "--dev-login", "--module", "startup_resilience");

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Diagnosis("startup_resilience.health").Id.ShouldBe("tcp_failure");
        run.Diagnosis("startup_resilience.health").Summary.ShouldContain("127.0.0.1:9");
    }

    [Fact]
    public async Task A_skip_fails_the_run_unless_skips_are_allowed()
    {
        using var client = new MeridianClient(fixture.Target);
        var token = (await client.TestAuthAsync(ValidationHarness.BypassKey, "skip-user@example.com", ct: TestContext.Current.CancellationToken)).AccessToken;

        var strict = await CliProcess.RunAsync("validate", "--target", fixture.Target.ToString(), "--token", token, "--module", "coordination");
        var lenient = await CliProcess.RunAsync("validate", "--target", fixture.Target.ToString(), "--token", token, "--module", "coordination", "--allow-skip");

        strict.ExitCode.ShouldBe(1, strict.ToString());
        strict.Outcome("coordination.isolation_between_users").ShouldBe("skipped");
        strict.Outcome("coordination.fanout_to_user_sockets").ShouldBe("passed");
        lenient.ExitCode.ShouldBe(0, lenient.ToString());
    }

    [Fact]
    public async Task List_names_every_module_and_check()
    {
        var run = await CliProcess.RunAsync("validate", "--list");

        run.ExitCode.ShouldBe(0);
        foreach (var check in Catalog.All.SelectMany(m => m.Checks))
        {
            run.Output.ShouldContain($"  {check.Name}: ");
        }

        Catalog.All.Select(m => m.Name).ShouldBe([
            "websocket_events", "message_flow", "agent_pipeline", "agent_orchestration", "response_streaming",
            "failure_recovery", "startup_resilience", "lifecycle_events", "coordination", "critical_path"]);
    }

    [Fact]
    public async Task Token_prints_a_token_the_server_accepts()
    {
        var run = await CliProcess.RunAsync("token", "--target", fixture.Target.ToString(), "--e2e-key", ValidationHarness.BypassKey, "--email", "token-cli@example.com");

        run.ExitCode.ShouldBe(0, run.ToString());
        using var client = new MeridianClient(fixture.Target, run.Output.Trim());
        (await client.MeAsync(TestContext.Current.CancellationToken)).Email.ShouldBe("token-cli@example.com");

        var dev = await CliProcess.RunAsync("token", "--target", fixture.Target.ToString(), "--dev-login", "--json");
        dev.ExitCode.ShouldBe(0, dev.ToString());
        Json.Parse(dev.Output).GetProperty("user").GetProperty("email").GetString().ShouldBe("dev@meridian.local");

        var refused = await CliProcess.RunAsync("token", "--target", fixture.Target.ToString(), "--e2e-key", "wrong-key-0123456789", "--email", "x@example.com");
        refused.ExitCode.ShouldBe(1);
        refused.Error.ShouldContain("INVALID_BYPASS_KEY");
    }
}
