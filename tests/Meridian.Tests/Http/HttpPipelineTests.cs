using System.Net;
using System.Text.Json;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Http;

public sealed class HttpPipelineTests
{
    [Fact]
    public async Task Preflight_from_a_configured_origin_is_answered_and_other_origins_get_no_grant()
    {
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = "https://app.example.com",
        });

        using var allowed = await server.Http.SendAsync(Preflight("https://app.example.com"), TestContext.Current.CancellationToken);
        using var denied = await server.Http.SendAsync(Preflight("https://evil.example.net"), TestContext.Current.CancellationToken);

        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://app.example.com"]);
        allowed.Headers.GetValues("Access-Control-Allow-Methods").Single().ShouldContain("POST");
        denied.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Simple_request_from_a_configured_origin_carries_the_grant()
    {
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = "https://app.example.com",
        });
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/config/public");
        request.Headers.Add("Origin", "https://app.example.com");

        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);

        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://app.example.com"]);
    }

    [Fact]
    public async Task Every_answer_carries_security_headers_and_a_request_id()
    {
        await using var server = await ServerHarness.StartAsync();
        var withId = new HttpRequestMessage(HttpMethod.Get, "/health");
        withId.Headers.Add("X-Request-Id", "client-chosen-42");
        var withBadId = new HttpRequestMessage(HttpMethod.Get, "/api/missing");
        withBadId.Headers.Add("X-Request-Id", "<script>");

        using var ok = await server.Http.SendAsync(withId, TestContext.Current.CancellationToken);
        using var notFound = await server.Http.SendAsync(withBadId, TestContext.Current.CancellationToken);

        foreach (var response in new[] { ok, notFound })
        {
            response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
            response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
            response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        }

        ok.Headers.GetValues("X-Request-Id").ShouldBe(["client-chosen-42"]);
        var generated = notFound.Headers.GetValues("X-Request-Id").Single();
        generated.ShouldStartWith("req_");
        var body = JsonDocument.Parse(await notFound.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        body.GetProperty("request_id").GetString().ShouldBe(generated);
    }

    [Fact]
    public async Task Https_redirection_never_touches_health_api_auth_or_websocket_routes()
    {
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Server:HttpsRedirection"] = "true",
            ["https_port"] = "8443",
        });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        foreach (var path in new[] { "/health", "/health/", "/health/ready", "/api/health", "/api/discovery/services" })
        {
            using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }

        using var missingAuthRoute = await http.GetAsync("/auth/nothing-here", TestContext.Current.CancellationToken);
        missingAuthRoute.StatusCode.ShouldBe(HttpStatusCode.NotFound, "an unknown auth route is a 404 problem, not a redirect");
        using var ui = await http.GetAsync("/", TestContext.Current.CancellationToken);
        ui.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        ui.Headers.Location!.ToString().ShouldStartWith("https://");
    }

    [Fact]
    public async Task OpenApi_document_and_interactive_docs_are_served()
    {
        await using var server = await ServerHarness.StartAsync();

        var (response, document) = await server.GetJsonAsync("/openapi/v1.json");
        using var docs = await server.Http.GetAsync("/docs/index.html", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        document.GetProperty("paths").TryGetProperty("/health", out _).ShouldBeTrue();
        document.GetProperty("paths").TryGetProperty("/api/discovery/services", out _).ShouldBeTrue();
        docs.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await docs.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("swagger");
        docs.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self' 'unsafe-inline'");
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/config/public");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
