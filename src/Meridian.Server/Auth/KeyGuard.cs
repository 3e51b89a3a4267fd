using System.Security.Cryptography;
using System.Text;
using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Meridian.Server.Auth;

/// <summary>Routes opened by a configured key sent in a header (<c>/auth/validate</c>, <c>/auth/e2e/test-auth</c>):
/// without a configured key the route does not exist (404); a wrong or missing key is 401.</summary>
internal static class KeyGuard
{
    /// <summary>The refusal to answer, or null when the request carries the configured key.</summary>
    public static ProblemHttpResult? Refuse(HttpContext context, string? configuredKey, string header, ErrorCode errorCode)
    {
        if (string.IsNullOrEmpty(configuredKey))
        {
            return Problems.NotFound($"No resource at '{context.Request.Path}'.");
        }

        return Matches(context.Request.Headers[header].ToString(), configuredKey)
            ? null
            : Problems.Result(errorCode, $"A valid {header} header is required.");
    }

    /// <summary>Constant-time comparison. Hashing first makes the compared lengths equal, so the timing reveals
    /// neither the content nor the length of the configured key.</summary>
    public static bool Matches(string? presented, string expected) =>
        !string.IsNullOrEmpty(presented)
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
