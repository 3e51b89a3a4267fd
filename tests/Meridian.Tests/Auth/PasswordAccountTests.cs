using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Auth;

public sealed class PasswordAccountTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Register_answers_201_with_tokens_and_the_access_token_opens_me(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider);
        var email = AuthHarness.NewEmail();

        var body = await server.RegisterAsync(email.ToUpperInvariant());
        var (me, profile) = await server.MeAsync(body.Text("access_token"));

        body.Text("token_type").ShouldBe("Bearer");
        body.GetProperty("expires_in").GetInt32().ShouldBe(900);
        body.Text("refresh_token").ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("user").Text("email").ShouldBe(email);
        me.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        profile.Text("id").ShouldBe(body.GetProperty("user").Text("id"));
        profile.Text("email").ShouldBe(email);
        profile.Text("name").ShouldBe("Test User");
        profile.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(["chat"]);
    }

    [Fact]
    public async Task Configured_default_permissions_replace_chat_rather_than_adding_to_it()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:DefaultPermissions:0"] = "viewer" });

        var body = await server.RegisterAsync(AuthHarness.NewEmail());

        body.GetProperty("user").GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(["viewer"]);
    }

    [Fact]
    public async Task The_access_token_carries_the_documented_claims()
    {
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:Issuer"] = "https://auth.example" });

        var body = await server.RegisterAsync(AuthHarness.NewEmail());
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(body.Text("access_token"));

        jwt.Alg.ShouldBe("HS256");
        foreach (var claim in new[] { "sub", "email", "name", "permissions", "iat", "exp", "iss", "jti", "type" })
        {
            jwt.TryGetPayloadValue<object>(claim, out _).ShouldBeTrue(claim);
        }

        jwt.Issuer.ShouldBe("https://auth.example");
        jwt.GetPayloadValue<string>("type").ShouldBe("access");
        (jwt.ValidTo - jwt.IssuedAt).TotalMinutes.ShouldBe(15, tolerance: 0.1);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Registering_a_taken_email_is_409_in_any_letter_case(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider);
        var email = AuthHarness.NewEmail();
        await server.RegisterAsync(email);

        var again = await server.PostAsync("/auth/register", new { email = " " + email.ToUpperInvariant(), password = "another long passphrase" });

        again.ShouldBeProblem(409, "EMAIL_TAKEN");
    }

    [Theory]
    [InlineData("not-an-email", AuthHarness.Password, "email")]
    [InlineData("a@b", AuthHarness.Password, "email")]
    [InlineData("", AuthHarness.Password, "email")]
    [InlineData("someone@example.com", "short", "password")]
    [InlineData("someone@example.com", "123456789", "password")]
    [InlineData("someone@example.com", "password123", "password")]
    [InlineData("someone@example.com", "QwertyUiop", "password")]
    [InlineData("someone@example.com", "", "password")]
    public async Task Register_with_a_bad_email_or_weak_password_is_422_naming_the_field(string email, string password, string field)
    {
        await using var server = await AuthHarness.StartAsync();

        var answer = await server.PostAsync("/auth/register", new { email, password });

        answer.ShouldBeProblem(422, "VALIDATION_FAILED");
        answer.Body.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(answer.Body.ToString());
    }

    [Fact]
    public async Task Register_without_a_body_is_422_naming_both_fields()
    {
        await using var server = await AuthHarness.StartAsync();

        var answer = await server.PostAsync("/auth/register", new { });

        answer.ShouldBeProblem(422, "VALIDATION_FAILED");
        var errors = answer.Body.GetProperty("errors");
        errors.TryGetProperty("email", out _).ShouldBeTrue();
        errors.TryGetProperty("password", out _).ShouldBeTrue();
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Login_with_the_right_password_answers_tokens_and_a_wrong_one_is_401(StorageProvider provider)
    {
        await using var server = await AuthHarness.StartAsync(provider);
        var email = AuthHarness.NewEmail();
        var registered = await server.RegisterAsync(email);

        var (ok, body) = await server.PostAsync("/auth/login", new { email, password = AuthHarness.Password });
        var wrong = await server.PostAsync("/auth/login", new { email, password = "not the password at all" });
        var (me, _) = await server.MeAsync(body.Text("access_token"));

        ok.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        body.Text("token_type").ShouldBe("Bearer");
        body.GetProperty("expires_in").GetInt32().ShouldBe(900);
        body.Text("refresh_token").ShouldNotBe(registered.Text("refresh_token"));
        body.GetProperty("user").Text("id").ShouldBe(registered.GetProperty("user").Text("id"));
        me.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        wrong.ShouldBeProblem(401, "INVALID_CREDENTIALS");
    }

    [Fact]
    public async Task Login_for_an_unknown_email_gives_the_same_answer_as_a_wrong_password()
    {
        await using var server = await AuthHarness.StartAsync();
        var email = AuthHarness.NewEmail();
        await server.RegisterAsync(email);

        var wrong = await server.PostAsync("/auth/login", new { email, password = "not the password at all" });
        var unknown = await server.PostAsync("/auth/login", new { email = AuthHarness.NewEmail(), password = "not the password at all" });

        wrong.ShouldBeProblem(401, "INVALID_CREDENTIALS");
        unknown.ShouldBeProblem(401, "INVALID_CREDENTIALS");
        unknown.Body.Text("detail").ShouldBe(wrong.Body.Text("detail"));
    }

    [Fact]
    public async Task Me_without_a_token_is_401_auth_required_with_a_bearer_challenge()
    {
        await using var server = await AuthHarness.StartAsync();

        var answer = await server.MeAsync(null);

        answer.ShouldBeProblem(401, "AUTH_REQUIRED");
        answer.Response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }
}
