using System.Text.Json;

namespace Meridian.Tests.Infrastructure;

/// <summary>What every answer carries, and what every error answer is (docs/http-api.md): the security headers and
/// <c>X-Request-Id</c> always; for errors an <c>application/problem+json</c> body with <c>error_code</c> and the same
/// <c>request_id</c>.</summary>
internal static class ProblemAssertions
{
    public static void ShouldCarryStandardHeaders(this HttpResponseMessage response, string context = "")
    {
        response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff).ShouldBeTrue($"X-Content-Type-Options {context}");
        nosniff.ShouldBe(["nosniff"]);
        response.Headers.TryGetValues("X-Frame-Options", out var frames).ShouldBeTrue($"X-Frame-Options {context}");
        frames.ShouldBe(["DENY"]);
        response.Headers.TryGetValues("Referrer-Policy", out _).ShouldBeTrue($"Referrer-Policy {context}");
        response.Headers.TryGetValues("Content-Security-Policy", out _).ShouldBeTrue($"Content-Security-Policy {context}");
        response.Headers.TryGetValues("X-Request-Id", out var id).ShouldBeTrue($"X-Request-Id {context}");
        id!.Single().ShouldNotBeNullOrWhiteSpace();
    }

    /// <summary>Asserts a complete error answer and returns its body.</summary>
    public static async Task<JsonElement> ShouldBeCompleteProblemAsync(this HttpResponseMessage response, int? status = null, string? errorCode = null, string context = "")
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (status is { } expected)
        {
            ((int)response.StatusCode).ShouldBe(expected, $"{context} {text}");
        }

        ((int)response.StatusCode).ShouldBeInRange(400, 499, $"{context} {text}");
        response.ShouldCarryStandardHeaders(context);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{context} {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        body.GetProperty("status").GetInt32().ShouldBe((int)response.StatusCode, context);
        body.GetProperty("error_code").GetString().ShouldNotBeNullOrEmpty(context);
        if (errorCode is not null)
        {
            body.GetProperty("error_code").GetString().ShouldBe(errorCode, $"{context} {text}");
        }

        body.GetProperty("request_id").GetString().ShouldBe(response.Headers.GetValues("X-Request-Id").Single(), context);
        return body;
    }
}
