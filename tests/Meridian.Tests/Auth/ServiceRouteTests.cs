using System.Net;

namespace Meridian.Tests.Auth;

/// <summary><c>/auth/validate</c>, <c>/auth/config</c> and what <c>/api/config/public</c> says about auth.</summary>
public sealed class ServiceRouteTests
{
    private const string ServiceKey = "service-key-for-tests-0123456789";

    private static readonly Dictionary<string, string?> WithServiceKey = new() { ["Auth:ServiceKey"] = ServiceKey };

    private static Dictionary<string, string> Key(string key) => new() { ["X-Service-Key"] = key };

    [Fact]
    public async Task Validate_does_not_exist_without_a_configured_service_key()
    {
        await using var server = await AuthHarness.StartAsync();

        var answer = await server.PostAsync("/auth/validate", new { token = "x" }, headers: Key(ServiceKey));

        answer.ShouldBeProblem(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Validate_with_a_wrong_or_missing_service_key_is_401()
    {
        await using var server = await AuthHarness.StartAsync(settings: WithServiceKey);

        var wrong = await server.PostAsync("/auth/validate", new { token = "x" }, headers: Key(ServiceKey + "x"));
        var missing = await server.PostAsync("/auth/validate", new { token = "x" });

        wrong.ShouldBeProblem(401, "INVALID_SERVICE_KEY");
        missing.ShouldBeProblem(401, "INVALID_SERVICE_KEY");
    }

    [Fact]
    public async Task Validate_describes_a_valid_token()
    {
        await using var server = await AuthHarness.StartAsync(settings: WithServiceKey);
        var email = AuthHarness.NewEmail();
        var session = await server.RegisterAsync(email);

        var (response, body) = await server.PostAsync("/auth/validate", new { token = session.Text("access_token") }, headers: Key(ServiceKey));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("valid").GetBoolean().ShouldBeTrue();
        body.Text("user_id").ShouldBe(session.GetProperty("user").Text("id"));
        body.Text("email").ShouldBe(email);
        body.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(["chat"]);
        var expiresAt = DateTimeOffset.Parse(body.Text("expires_at"), System.Globalization.CultureInfo.InvariantCulture);
        (expiresAt - DateTimeOffset.UtcNow).TotalMinutes.ShouldBeInRange(13, 16);
    }

    [Fact]
    public async Task Validate_answers_200_valid_false_with_the_error_code_for_bad_tokens()
    {
        await using var server = await AuthHarness.StartAsync(settings: WithServiceKey);
        var expired = AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "u1" }, expires: DateTimeOffset.UtcNow.AddHours(-1));

        var (garbageResponse, garbage) = await server.PostAsync("/auth/validate", new { token = "garbage" }, headers: Key(ServiceKey));
        var (_, old) = await server.PostAsync("/auth/validate", new { token = expired }, headers: Key(ServiceKey));
        var (_, none) = await server.PostAsync("/auth/validate", new { }, headers: Key(ServiceKey));

        garbageResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        garbage.GetProperty("valid").GetBoolean().ShouldBeFalse();
        garbage.Text("error_code").ShouldBe("INVALID_TOKEN");
        old.GetProperty("valid").GetBoolean().ShouldBeFalse();
        old.Text("error_code").ShouldBe("TOKEN_EXPIRED");
        none.Text("error_code").ShouldBe("INVALID_TOKEN");
    }

    [Fact]
    public async Task Config_reports_issuer_lifetimes_and_methods()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:AccessTokenMinutes"] = "30",
            ["Auth:RefreshTokenDays"] = "2",
        });

        var (response, body) = await server.GetJsonAsync("/auth/config");
        var (_, publicConfig) = await server.GetJsonAsync("/api/config/public");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.Text("issuer").ShouldBe("meridian");
        body.GetProperty("issuer_enforced").GetBoolean().ShouldBeFalse();
        body.GetProperty("access_token_expires_in").GetInt32().ShouldBe(1800);
        body.GetProperty("refresh_token_expires_in").GetInt32().ShouldBe(2 * 86400);
        body.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["password", "refresh_token", "dev"]);
        publicConfig.GetProperty("auth").GetProperty("methods").EnumerateArray().Select(m => m.GetString())
            .ShouldBe(["password", "refresh_token", "dev"]);
    }
}
