using System.Net.Http.Headers;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Errors;

/// <summary>Every answer carries the security headers and <c>X-Request-Id</c>, and every error body is a problem
/// with <c>error_code</c> and <c>request_id</c>: a fault's too, and whatever the client said it accepts.</summary>
public sealed class ErrorHeaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_fault_answer_carries_the_headers_and_its_request_id(string environment)
    {
        await using var server = await ServerHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["environment"] = environment, ["Auth:JwtSecret"] = AuthHarness.Secret },
            endpoints: app => app.MapGet("/api/test/fault", string () => throw new InvalidOperationException("boom")));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/test/fault");
        request.Headers.Add("X-Request-Id", "fault-7");

        using var response = await server.Http.SendAsync(request, Ct);

        ((int)response.StatusCode).ShouldBe(500);
        response.ShouldCarryStandardHeaders();
        response.Headers.GetValues("X-Request-Id").ShouldBe(["fault-7"]);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        body.GetProperty("error_code").GetString().ShouldBe("INTERNAL_ERROR");
        body.GetProperty("request_id").GetString().ShouldBe("fault-7");
    }

    [Theory]
    [InlineData("Authorization", 100_000)]
    [InlineData("X-Padding", 40_000)]
    public async Task Headers_too_large_are_a_complete_431_problem(string header, int size)
    {
        await using var server = await AuthHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/threads");
        request.Headers.TryAddWithoutValidation(header, (header == "Authorization" ? "Bearer " : "") + new string('a', size));

        using var response = await server.Http.SendAsync(request, Ct);

        await response.ShouldBeCompleteProblemAsync(431, "HEADERS_TOO_LARGE");
    }

    [Theory]
    [InlineData("text/event-stream")]
    [InlineData("text/html")]
    [InlineData("image/png")]
    public async Task An_error_is_a_complete_problem_whatever_the_client_accepts(string accept)
    {
        await using var server = await AuthHarness.StartAsync();
        var token = AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "accept_user" });
        foreach (var path in new[] { "/api/runs/run_missing/events", "/api/nothing-here", "/api/threads/none" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            request.Headers.Authorization = AuthHarness.Bearer(token);

            using var response = await server.Http.SendAsync(request, Ct);

            await response.ShouldBeCompleteProblemAsync(404, "NOT_FOUND", $"{path} Accept: {accept}");
        }
    }
}
