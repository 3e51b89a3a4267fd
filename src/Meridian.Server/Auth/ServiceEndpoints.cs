using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

/// <summary><c>POST /auth/validate</c> (token checks for other services) and <c>GET /auth/config</c>.</summary>
internal static class ServiceEndpoints
{
    public const string ServiceKeyHeader = "X-Service-Key";

    private static readonly string[] Algorithms = ["HS256"];

    public static RouteGroupBuilder MapServiceEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapPost("/validate", Validate).WithName("auth-validate").ProducesProblems(ErrorCodes.InvalidServiceKey, ErrorCodes.NotFound);
        auth.MapGet("/config", Config).WithName("auth-config");
        return auth;
    }

    private static async Task<Results<Ok<TokenCheck>, ProblemHttpResult>> Validate(
        ValidateRequest? body, HttpContext context, TokenValidator validator, IOptions<AuthOptions> options, CancellationToken ct)
    {
        if (KeyGuard.Refuse(context, options.Value.ServiceKey, ServiceKeyHeader, ErrorCodes.InvalidServiceKey) is { } refusal)
        {
            return refusal;
        }

        var result = await validator.ValidateAsync(body?.Token, ct);
        if (!result.IsValid)
        {
            return TypedResults.Ok<TokenCheck>(InvalidToken.Of(result));
        }

        return TypedResults.Ok<TokenCheck>(ValidToken.Of(result.User!));
    }

    private static Ok<AuthConfig> Config(IOptions<AuthOptions> options, IHostEnvironment env)
    {
        var auth = options.Value;
        return TypedResults.Ok(new AuthConfig(
            auth.EffectiveIssuer,
            auth.EnforceIssuer,
            Algorithms,
            "Bearer",
            (int)auth.AccessTokenLifetime.TotalSeconds,
            (int)auth.RefreshTokenLifetime.TotalSeconds,
            auth.EnforcePermissions,
            AuthMethods.Enabled(env)));
    }
}
