using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Errors;

public sealed class ErrorResponseTests
{
    private sealed record Echo(string Text);

    private static void TestRoutes(WebApplication app)
    {
        app.MapPost("/api/test/echo", (Echo body) => TypedResults.Ok(body));
        app.MapGet("/api/test/boom", string () => throw new InvalidOperationException("secret internals"));
    }

    [Theory]
    [InlineData("GET", "/api/nonexistent", 404, "NOT_FOUND")]
    [InlineData("GET", "/etc/passwd", 404, "NOT_FOUND")]
    [InlineData("PUT", "/api/health", 405, "METHOD_NOT_ALLOWED")]
    [InlineData("DELETE", "/health", 405, "METHOD_NOT_ALLOWED")]
    public async Task Error_statuses_have_problem_bodies(string method, string path, int status, string code)
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), TestContext.Current.CancellationToken);

        await ShouldBeProblem(response, status, code);
    }

    [Theory]
    [InlineData("/api/../../etc/passwd")]
    [InlineData("/health/../../../etc/passwd")]
    [InlineData("/%2e%2e/%2e%2e/etc/passwd")]
    public async Task Traversal_paths_sent_raw_are_plain_404_problems(string rawPath)
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, TestContext.Current.CancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {rawPath} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream);

        var raw = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);

        raw.ShouldStartWith("HTTP/1.1 404");
        raw.ShouldContain("Content-Type: application/problem+json");
        raw.ShouldContain("\"error_code\":\"NOT_FOUND\"");
        raw.ShouldNotContain("root:");
    }

    [Fact]
    public async Task Oversize_body_is_413_problem()
    {
        await using var server = await ServerHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["Server:MaxRequestBodyBytes"] = "2048" }, endpoints: TestRoutes);
        var body = new StringContent(JsonSerializer.Serialize(new { text = new string('x', 10_000) }), Encoding.UTF8, "application/json");

        using var response = await server.Http.PostAsync("/api/test/echo", body, TestContext.Current.CancellationToken);

        await ShouldBeProblem(response, 413, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem_and_malformed_json_is_400_problem()
    {
        await using var server = await ServerHarness.StartAsync(endpoints: TestRoutes);

        using var wrongType = await server.Http.PostAsync("/api/test/echo", new StringContent("text=hi", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        using var malformed = await server.Http.PostAsync("/api/test/echo", new StringContent("{\"text\":", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await ShouldBeProblem(wrongType, 415, "UNSUPPORTED_MEDIA_TYPE");
        await ShouldBeProblem(malformed, 400, "BAD_REQUEST");
    }

    [Theory]
    [InlineData("/api/threads", "{\"title\":\"\\ud800\"}")]
    [InlineData("/api/agents/execute", "{\"content\":\"hi \\udc00 there\"}")]
    [InlineData("/api/workloads/synthetic", "{\"profile\":\"\\ud800\"}")]
    [InlineData("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\ud800\"}")]
    public async Task A_body_string_that_no_string_can_hold_is_a_400_problem_not_a_fault(string path, string body)
    {
        await using var server = await Auth.AuthHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Auth.AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "surrogate_user" }));

        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);

        await ShouldBeProblem(response, 400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Unhandled_exception_is_500_problem_without_internals_outside_development()
    {
        await using var server = await ServerHarness.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["environment"] = "Staging",
                ["Auth:JwtSecret"] = "a-staging-secret-that-is-at-least-32-bytes-long",
            },
            endpoints: TestRoutes);

        using var response = await server.Http.GetAsync("/api/test/boom", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        await ShouldBeProblem(response, 500, "INTERNAL_ERROR");
        text.ShouldNotContain("secret internals");
        text.ShouldNotContain("at Meridian");
    }

    [Fact]
    public async Task Unhandled_exception_in_development_names_the_exception()
    {
        await using var server = await ServerHarness.StartAsync(endpoints: TestRoutes);

        using var response = await server.Http.GetAsync("/api/test/boom", TestContext.Current.CancellationToken);
        var body = await ShouldBeProblem(response, 500, "INTERNAL_ERROR");

        body.GetProperty("detail").GetString()!.ShouldContain("secret internals");
    }

    [Fact]
    public async Task Random_requests_never_get_a_500_or_a_non_json_error()
    {
        await using var server = await ServerHarness.StartAsync(endpoints: TestRoutes);
        var random = new Random(20261121);
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
        string[] segments = ["api", "health", "auth", "ws", "..", "%2e", "etc", "passwd", "threads", "x y", "%00", "é", ";", "ready", "live", "discovery", "services"];

        for (var i = 0; i < 300; i++)
        {
            var path = "/" + string.Join('/', Enumerable.Range(0, random.Next(0, 5)).Select(_ => Uri.EscapeDataString(segments[random.Next(segments.Length)])));
            var request = new HttpRequestMessage(new HttpMethod(methods[random.Next(methods.Length)]), path);
            if (random.Next(2) == 0 && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
            {
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(2) == 0 ? "application/json" : "application/octet-stream");
            }

            using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            status.ShouldBeLessThan(500, $"{request.Method} {path}");
            if (status >= 400 && request.Method != HttpMethod.Head)
            {
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{request.Method} {path}");
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
                body.GetProperty("error_code").GetString().ShouldNotBeNullOrEmpty();
            }
        }
    }

    internal static async Task<JsonElement> ShouldBeProblem(HttpResponseMessage response, int status, string code)
    {
        ((int)response.StatusCode).ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        body.GetProperty("status").GetInt32().ShouldBe(status);
        body.GetProperty("error_code").GetString().ShouldBe(code);
        body.GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        body.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty();
        return body;
    }
}
