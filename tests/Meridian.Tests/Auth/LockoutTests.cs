using System.Net;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Auth;

public sealed class LockoutTests
{
    private static readonly Dictionary<string, string?> SmallThresholds = new()
    {
        ["Auth:Lockout:MaxFailuresPerAccount"] = "3",
        ["Auth:Lockout:MaxFailuresPerAddress"] = "100",
        ["Auth:Lockout:LockoutSeconds"] = "600",
    };

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Repeated_failures_lock_the_account_with_429_and_retry_after_even_for_the_right_password(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider, SmallThresholds);
        var email = AuthHarness.NewEmail();
        await server.RegisterAsync(email);

        for (var i = 0; i < 3; i++)
        {
            (await server.PostAsync("/auth/login", new { email, password = "wrong password " + i })).ShouldBeProblem(401, "INVALID_CREDENTIALS");
        }

        var locked = await server.PostAsync("/auth/login", new { email, password = AuthHarness.Password });

        locked.ShouldBeProblem(429, "RATE_LIMITED");
        locked.Response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 600);
    }

    [Fact]
    public async Task An_unknown_email_is_locked_the_same_way_so_answers_do_not_reveal_accounts()
    {
        await using var server = await AuthHarness.StartAsync(settings: SmallThresholds);
        var known = AuthHarness.NewEmail();
        var unknown = AuthHarness.NewEmail();
        await server.RegisterAsync(known);

        var knownAnswers = new List<int>();
        var unknownAnswers = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            knownAnswers.Add((int)(await server.PostAsync("/auth/login", new { email = known, password = "wrong password!" })).Response.StatusCode);
            unknownAnswers.Add((int)(await server.PostAsync("/auth/login", new { email = unknown, password = "wrong password!" })).Response.StatusCode);
        }

        var lockedKnown = await server.PostAsync("/auth/login", new { email = known, password = "wrong password!" });
        var lockedUnknown = await server.PostAsync("/auth/login", new { email = unknown, password = "wrong password!" });

        knownAnswers.ShouldBe([401, 401, 401, 429]);
        unknownAnswers.ShouldBe(knownAnswers);
        lockedUnknown.ShouldBeProblem(429, "RATE_LIMITED");
        lockedUnknown.Response.Headers.RetryAfter.ShouldNotBeNull();
        lockedUnknown.Body.Text("detail").ShouldBe(lockedKnown.Body.Text("detail"));
    }

    [Fact]
    public async Task A_success_before_the_limit_clears_the_account_count()
    {
        await using var server = await AuthHarness.StartAsync(settings: SmallThresholds);
        var email = AuthHarness.NewEmail();
        await server.RegisterAsync(email);

        for (var round = 0; round < 3; round++)
        {
            await server.PostAsync("/auth/login", new { email, password = "wrong password!" });
            await server.PostAsync("/auth/login", new { email, password = "wrong password!" });
            var (ok, _) = await server.PostAsync("/auth/login", new { email, password = AuthHarness.Password });
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Failures_across_many_emails_from_one_address_lock_the_address()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:Lockout:MaxFailuresPerAccount"] = "100",
            ["Auth:Lockout:MaxFailuresPerAddress"] = "4",
        });
        var victim = AuthHarness.NewEmail();
        await server.RegisterAsync(victim);

        for (var i = 0; i < 4; i++)
        {
            (await server.PostAsync("/auth/login", new { email = AuthHarness.NewEmail(), password = "guessing password" })).ShouldBeProblem(401, "INVALID_CREDENTIALS");
        }

        var fromSameAddress = await server.PostAsync("/auth/login", new { email = victim, password = AuthHarness.Password });

        fromSameAddress.ShouldBeProblem(429, "RATE_LIMITED");
        fromSameAddress.Response.Headers.RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public async Task Failed_answers_slow_down_after_the_configured_number_of_failures()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:Lockout:SlowdownAfterFailures"] = "1",
            ["Auth:Lockout:SlowdownStepMilliseconds"] = "400",
            ["Auth:Lockout:MaxSlowdownMilliseconds"] = "400",
        });
        var email = AuthHarness.NewEmail();

        await server.PostAsync("/auth/login", new { email, password = "wrong password!" });
        var started = System.Diagnostics.Stopwatch.StartNew();
        var second = await server.PostAsync("/auth/login", new { email, password = "wrong password!" });

        second.ShouldBeProblem(401, "INVALID_CREDENTIALS");
        // A lower bound only: a loaded machine can make the answer slower, never faster than the added delay.
        started.Elapsed.TotalMilliseconds.ShouldBeGreaterThanOrEqualTo(400);
    }
}
