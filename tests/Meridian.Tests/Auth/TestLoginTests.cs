using System.Net;
using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Tests.Auth;

/// <summary><c>/auth/e2e/test-auth</c> and <c>/auth/dev/login</c>: real tokens without a password, only where allowed.</summary>
public sealed class TestLoginTests
{
    private const string BypassKey = "e2e-bypass-key-for-tests-0123456789";

    private static Dictionary<string, string> Key(string key) => new() { ["X-E2E-Bypass-Key"] = key };

    private static readonly string[] TestPermissions = ["chat", "admin"];

    [Fact]
    public async Task Test_auth_does_not_exist_without_a_bypass_key()
    {
        await using var server = await AuthHarness.StartAsync();

        var answer = await server.PostAsync("/auth/e2e/test-auth", new { email = "e2e@example.com" }, headers: Key(BypassKey));

        answer.ShouldBeProblem(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Test_auth_does_not_exist_in_production_even_with_a_bypass_key()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Auth:E2EBypassKey"] = BypassKey,
        });

        var answer = await server.PostAsync("/auth/e2e/test-auth", new { email = "e2e@example.com" }, headers: Key(BypassKey));

        answer.ShouldBeProblem(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Test_auth_with_a_wrong_key_is_401()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:E2EBypassKey"] = BypassKey });

        var wrong = await server.PostAsync("/auth/e2e/test-auth", new { email = "e2e@example.com" }, headers: Key("not-the-key-not-the-key"));
        var missing = await server.PostAsync("/auth/e2e/test-auth", new { email = "e2e@example.com" });

        wrong.ShouldBeProblem(401, "INVALID_BYPASS_KEY");
        missing.ShouldBeProblem(401, "INVALID_BYPASS_KEY");
    }

    [Fact]
    public async Task Test_auth_with_the_right_key_issues_real_tokens_for_the_test_user()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["environment"] = "Staging",
            ["Auth:E2EBypassKey"] = BypassKey,
        });

        var (response, body) = await server.PostAsync("/auth/e2e/test-auth",
            new { email = "E2E-User@Example.com", name = "E2E", permissions = TestPermissions }, headers: Key(BypassKey));
        var (me, profile) = await server.MeAsync(body.Text("access_token"));
        var (again, second) = await server.PostAsync("/auth/e2e/test-auth", new { email = "e2e-user@example.com" }, headers: Key(BypassKey));
        var (refreshed, _) = await server.PostAsync("/auth/refresh", new { refresh_token = body.Text("refresh_token") });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.Text("token_type").ShouldBe("Bearer");
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        profile.Text("email").ShouldBe("e2e-user@example.com");
        profile.Text("name").ShouldBe("E2E");
        profile.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(TestPermissions);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.GetProperty("user").Text("id").ShouldBe(profile.Text("id"));
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Test_auth_with_a_bad_email_is_422()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:E2EBypassKey"] = BypassKey });

        var answer = await server.PostAsync("/auth/e2e/test-auth", new { email = "nope" }, headers: Key(BypassKey));

        answer.ShouldBeProblem(422, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task Test_auth_and_dev_login_refuse_a_disabled_account_with_403_and_leave_it_unchanged()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:E2EBypassKey"] = BypassKey });
        var (created, first) = await server.PostAsync("/auth/e2e/test-auth", new { email = "e2e-off@example.com", name = "Before" }, headers: Key(BypassKey));
        created.StatusCode.ShouldBe(HttpStatusCode.OK, first.ToString());
        await using (var connection = await server.Service<Database>().OpenWriterAsync(TestContext.Current.CancellationToken))
        {
            (await connection.ExecuteAsync("UPDATE users SET disabled = TRUE WHERE email = 'e2e-off@example.com'")).ShouldBe(1);
        }

        var testAuth = await server.PostAsync("/auth/e2e/test-auth",
            new { email = "e2e-off@example.com", name = "After", permissions = TestPermissions }, headers: Key(BypassKey));
        var devLogin = await server.PostAsync("/auth/dev/login", new { email = "e2e-off@example.com" });

        testAuth.ShouldBeProblem(403, "ACCOUNT_DISABLED");
        testAuth.Body.Text("request_id").ShouldNotBeNullOrEmpty();
        testAuth.Body.TryGetProperty("access_token", out _).ShouldBeFalse();
        devLogin.ShouldBeProblem(403, "ACCOUNT_DISABLED");
        await using var read = await server.Service<Database>().OpenAsync(TestContext.Current.CancellationToken);
        (await read.ExecuteScalarAsync<string>("SELECT name FROM users WHERE email = 'e2e-off@example.com'")).ShouldBe("Before");
    }

    [Fact]
    public async Task Dev_login_issues_tokens_in_development()
    {
        await using var server = await AuthHarness.StartAsync();

        var (response, body) = await server.PostAsync("/auth/dev/login", new { });
        var (me, profile) = await server.MeAsync(body.Text("access_token"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        profile.Text("email").ShouldBe("dev@meridian.local");
    }

    [Fact]
    public async Task Dev_login_does_not_exist_outside_development()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["environment"] = "Staging" });

        var answer = await server.PostAsync("/auth/dev/login", new { });
        var (_, config) = await server.GetJsonAsync("/auth/config");

        answer.ShouldBeProblem(404, "NOT_FOUND");
        config.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldNotContain("dev");
    }
}
