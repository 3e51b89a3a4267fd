using System.Net;
using Meridian.Server.Auth;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Meridian.Tests.Auth;

/// <summary>The signing secret: required outside Development, generated and kept in Development.</summary>
[Collection(SerialProcesses.Name)]
public sealed class AuthStartupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("too-short-secret")]
    public async Task Production_without_a_usable_jwt_secret_exits_non_zero_naming_auth_jwtsecret(string? secret)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("meridian-auth-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["MERIDIAN_ENVIRONMENT"] = "Production",
            ["MERIDIAN_Server__DataDirectory"] = dataDirectory,
        };
        if (secret is not null)
        {
            environment["MERIDIAN_Auth__JwtSecret"] = secret;
        }

        await using var server = ServerProcess.Start(environment);
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        code.ShouldNotBe(0, server.Output);
        server.Output.ShouldContain("Auth:JwtSecret");
        Directory.Exists(Path.Combine(dataDirectory, "secrets")).ShouldBeFalse("no secret is generated outside Development");
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Production_with_a_bypass_key_starts_warns_and_has_no_test_route()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("meridian-auth-").FullName;
        await using var server = ServerProcess.Start(new Dictionary<string, string?>
        {
            ["MERIDIAN_ENVIRONMENT"] = "Production",
            ["MERIDIAN_Server__DataDirectory"] = dataDirectory,
            ["MERIDIAN_Auth__JwtSecret"] = AuthHarness.Secret,
            ["MERIDIAN_Auth__E2EBypassKey"] = "e2e-bypass-key-for-tests-0123456789",
        });
        await server.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/e2e/test-auth")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { email = "e2e@example.com" }),
        };
        request.Headers.Add("X-E2E-Bypass-Key", "e2e-bypass-key-for-tests-0123456789");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        server.Output.ShouldContain("Auth:E2EBypassKey is configured in Production");
    }

    [Fact]
    public async Task Development_generates_a_private_secret_file_and_tokens_survive_a_restart()
    {
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var noSecret = new Dictionary<string, string?> { ["Auth:JwtSecret"] = "" };
        string token;
        await using (var first = await ServerHarness.StartAsync(database, ownsDatabase: false, noSecret))
        {
            token = (await first.RegisterAsync(AuthHarness.NewEmail())).Text("access_token");
        }

        var file = Path.Combine(database.DataDirectory, "secrets", "jwt-secret");
        await using var second = await ServerHarness.StartAsync(database, ownsDatabase: false, noSecret);
        var (me, _) = await second.MeAsync(token);

        File.Exists(file).ShouldBeTrue();
        (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Length.ShouldBeGreaterThanOrEqualTo(32);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        me.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("Auth:AccessTokenMinutes", "0")]
    [InlineData("Auth:RefreshTokenDays", "0")]
    [InlineData("Auth:ServiceKey", "short")]
    [InlineData("Auth:E2EBypassKey", "short")]
    [InlineData("Auth:Lockout:MaxFailuresPerAccount", "0")]
    public void Invalid_auth_settings_are_reported_by_name(string key, string value)
    {
        var options = new AuthOptions { JwtSecret = AuthHarness.Secret };
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build()
            .GetSection(AuthOptions.Section)
            .Bind(options);
        var env = new HostingEnvironment { EnvironmentName = Environments.Production };

        var result = new AuthOptionsValidator(env).Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(key);
    }
}
