using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Meridian.Tests.Auth;

/// <summary>Starting a server configured for auth tests, calling /auth routes, and minting tokens the way another
/// issuer sharing the key would.</summary>
internal static class AuthHarness
{
    public const string Secret = "test-secret-for-meridian-auth-tests-0123456789";
    public const string Password = "correct horse battery staple";

    public static Task<ServerHarness> StartAsync(
        StorageProvider provider = StorageProvider.Sqlite, IDictionary<string, string?>? settings = null,
        Action<WebApplication>? endpoints = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = Secret,
            // No artificial delay on failed logins: lockout tests count answers, not seconds.
            ["Auth:Lockout:SlowdownStepMilliseconds"] = "0",
        }.With(settings);

        return ServerHarness.StartAsync(provider, all, endpoints: endpoints);
    }

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(
        this ServerHarness server, HttpMethod method, string path, object? body = null, string? token = null,
        IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, json);
    }

    public static Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(
        this ServerHarness server, string path, object? body = null, string? token = null, IDictionary<string, string>? headers = null) =>
        server.SendAsync(HttpMethod.Post, path, body, token, headers);

    public static Task<(HttpResponseMessage Response, JsonElement Body)> MeAsync(this ServerHarness server, string? token) =>
        server.SendAsync(HttpMethod.Get, "/auth/me", token: token);

    /// <summary>Registers a new account and returns the token answer.</summary>
    public static async Task<JsonElement> RegisterAsync(this ServerHarness server, string email, string password = Password)
    {
        var (response, body) = await server.PostAsync("/auth/register", new { email, password, name = "Test User" });
        ((int)response.StatusCode).ShouldBe(201, body.ToString());
        return body;
    }

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    /// <summary>Asserts a problem body with the given status and error code.</summary>
    public static void ShouldBeProblem(this (HttpResponseMessage Response, JsonElement Body) answer, int status, string errorCode)
    {
        ((int)answer.Response.StatusCode).ShouldBe(status, answer.Body.ToString());
        answer.Response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        answer.Body.Text("error_code").ShouldBe(errorCode);
    }

    /// <summary>A token built with the JWT library, as another service holding the key would. HS256 is the one the
    /// server accepts; another HMAC algorithm is signed by hand (the library refuses a key shorter than its hash).</summary>
    public static string Mint(
        IDictionary<string, object> claims, string secret = Secret, string algorithm = SecurityAlgorithms.HmacSha256,
        DateTimeOffset? expires = null)
    {
        var payload = new Dictionary<string, object>(claims);
        payload.TryAdd("exp", (expires ?? DateTimeOffset.UtcNow.AddMinutes(10)).ToUnixTimeSeconds());
        if (algorithm != SecurityAlgorithms.HmacSha256)
        {
            return SignHmac(secret, algorithm, JsonSerializer.Serialize(payload));
        }

        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            new SecurityTokenDescriptor { Claims = payload, SigningCredentials = new SigningCredentials(key, algorithm) });
    }

    private static string SignHmac(string secret, string algorithm, string payloadJson)
    {
        var signed = Base64Url($"{{\"alg\":\"{algorithm}\",\"typ\":\"JWT\"}}") + "." + Base64Url(payloadJson);
        using HMAC hmac = algorithm switch
        {
            SecurityAlgorithms.HmacSha384 => new HMACSHA384(Encoding.UTF8.GetBytes(secret)),
            _ => new HMACSHA512(Encoding.UTF8.GetBytes(secret)),
        };
        return signed + "." + System.Buffers.Text.Base64Url.EncodeToString(hmac.ComputeHash(Encoding.ASCII.GetBytes(signed)));
    }

    /// <summary>A token signed with the test key over exactly the given header and payload JSON: for claims and
    /// header fields the JWT library would not write (a numeric <c>sub</c>, a <c>crit</c> list, no <c>exp</c>).</summary>
    public static string SignRaw(string headerJson, string payloadJson) => Hs256Token.Sign(Secret, headerJson, payloadJson);

    public static string Base64Url(string text) => Hs256Token.Base64Url(text);

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
