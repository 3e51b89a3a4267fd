using Dapper;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Auth;

/// <summary>Every way a token can be wrong is a 401 problem on a protected route, never a 500.</summary>
public sealed class BadTokenTests
{
    private static readonly string[] ForeignPermissions = ["chat", "admin"];

    private static Dictionary<string, object> Claims(string sub = "user_ext_1") => new()
    {
        ["sub"] = sub,
        ["email"] = "ext@example.com",
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    };

    public static TheoryData<string, string> Cases()
    {
        var valid = AuthHarness.Mint(Claims());
        var parts = valid.Split('.');
        var noSub = Claims();
        noSub.Remove("sub");
        var data = new TheoryData<string, string>
        {
            { "garbage", "INVALID_TOKEN" },
            { "a.b.c", "INVALID_TOKEN" },
            { "..", "INVALID_TOKEN" },
            { AuthHarness.Mint(Claims(), secret: "another-secret-of-more-than-32-bytes-long!!"), "INVALID_TOKEN" },
            { parts[0] + "." + parts[1] + "." + parts[2][..^2] + (parts[2][^2] == 'A' ? "BB" : "AA"), "INVALID_TOKEN" },
            { parts[0] + "." + AuthHarness.Base64Url("{\"sub\":\"admin\",\"exp\":9999999999}") + "." + parts[2], "INVALID_TOKEN" },
            { AuthHarness.Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".", "INVALID_TOKEN" },
            { AuthHarness.Base64Url("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2], "INVALID_TOKEN" },
            { AuthHarness.Mint(Claims(), algorithm: "HS512"), "INVALID_TOKEN" },
            { AuthHarness.Mint(Claims(), expires: DateTimeOffset.UtcNow.AddMinutes(-5)), "TOKEN_EXPIRED" },
            { AuthHarness.Mint(noSub), "INVALID_TOKEN" },
            { AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "" }), "INVALID_TOKEN" },
            { AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "x", ["exp"] = "tomorrow" }), "INVALID_TOKEN" },
            { AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "x", ["nbf"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }), "INVALID_TOKEN" },
        };
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task A_bad_token_is_401_with_its_error_code(string token, string errorCode)
    {
        await using var server = await AuthHarness.StartAsync();

        var answer = await server.MeAsync(token);

        answer.ShouldBeProblem(401, errorCode);
        answer.Response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Fact]
    public async Task A_token_without_exp_is_rejected()
    {
        await using var server = await AuthHarness.StartAsync();
        var answer = await server.MeAsync(AuthHarness.SignRaw("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"user_no_exp\"}"));

        answer.ShouldBeProblem(401, "INVALID_TOKEN");
    }

    [Fact]
    public async Task A_token_expired_by_less_than_the_30_second_skew_is_still_accepted()
    {
        await using var server = await AuthHarness.StartAsync();
        var token = AuthHarness.Mint(Claims("user_skew"), expires: DateTimeOffset.UtcNow.AddSeconds(-10));

        var (response, _) = await server.MeAsync(token);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_an_issuer_is_configured_tokens_from_another_issuer_are_401_and_its_own_pass()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:Issuer"] = "https://auth.example" });
        var wrong = Claims("user_iss");
        wrong["iss"] = "https://evil.example";
        var right = Claims("user_iss");
        right["iss"] = "https://auth.example";

        var rejected = await server.MeAsync(AuthHarness.Mint(wrong));
        var missing = await server.MeAsync(AuthHarness.Mint(Claims("user_iss")));
        var (accepted, _) = await server.MeAsync(AuthHarness.Mint(right));

        rejected.ShouldBeProblem(401, "INVALID_TOKEN");
        missing.ShouldBeProblem(401, "INVALID_TOKEN");
        accepted.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_configured_issuer_any_issuer_sharing_the_key_is_accepted()
    {
        await using var server = await AuthHarness.StartAsync();
        var claims = Claims("user_other_iss");
        claims["iss"] = "https://another-service.example";

        var (response, _) = await server.MeAsync(AuthHarness.Mint(claims));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_whose_jti_was_used_before_is_accepted_again()
    {
        await using var server = await AuthHarness.StartAsync();
        var claims = Claims("user_jti");
        claims["jti"] = "same-jti";
        var token = AuthHarness.Mint(claims);

        var (first, _) = await server.MeAsync(token);
        var (second, _) = await server.MeAsync(token);

        first.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        second.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_token_signed_elsewhere_for_an_unknown_sub_provisions_the_user(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider);
        var sub = "ext_" + Guid.NewGuid().ToString("N");
        var token = AuthHarness.Mint(new Dictionary<string, object>
        {
            ["sub"] = sub,
            ["email"] = "Foreign.User@Example.com",
            ["name"] = "Foreign User",
            ["permissions"] = ForeignPermissions,
            ["iss"] = "https://other-issuer.example",
        });

        var (response, profile) = await server.MeAsync(token);
        var (again, _) = await server.MeAsync(token);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, profile.ToString());
        profile.Text("id").ShouldBe(sub);
        profile.Text("email").ShouldBe("Foreign.User@Example.com");
        profile.Text("name").ShouldBe("Foreign User");
        profile.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(["chat", "admin"]);
        again.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_foreign_token_with_an_email_already_taken_is_provisioned_without_taking_over_the_account()
    {
        await using var server = await AuthHarness.StartAsync();
        var email = AuthHarness.NewEmail();
        var owner = await server.RegisterAsync(email);
        var sub = "ext_" + Guid.NewGuid().ToString("N");

        var (response, profile) = await server.MeAsync(AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = sub, ["email"] = email }));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        profile.Text("id").ShouldBe(sub);
        profile.Text("id").ShouldNotBe(owner.GetProperty("user").Text("id"));
        profile.GetProperty("email").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task A_disabled_user_is_403_with_a_problem_body()
    {
        await using var server = await AuthHarness.StartAsync();
        var session = await server.RegisterAsync(AuthHarness.NewEmail());
        await using (var connection = await server.Service<Database>().OpenAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync("UPDATE users SET disabled = TRUE WHERE id = @id", new { id = session.GetProperty("user").Text("id") });
        }

        var answer = await server.MeAsync(session.Text("access_token"));

        answer.ShouldBeProblem(403, "ACCOUNT_DISABLED");
    }
}
