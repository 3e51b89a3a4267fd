using Meridian.Server.Errors;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

/// <summary><c>POST /auth/validate</c> (token checks for other services) and <c>GET /auth/config</c>.</summary>
internal static class ServiceEndpoints
{
    public const string ServiceKeyHeader = "X-Service-Key";

    private static readonly string[] Algorithms = ["HS256"];

    public static RouteGroupBuilder MapServiceEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapPost("/validate", Validate).WithName("auth-validate");
        auth.MapGet("/config", Config).WithName("auth-config");
        return auth;
    }

    private static async Task<IResult> Validate(
        ValidateRequest? body, HttpContext context, TokenValidator validator, IOptions<AuthOptions> options, CancellationToken ct)
    {
        if (KeyGuard.Refuse(context, options.Value.ServiceKey, ServiceKeyHeader, ErrorCodes.InvalidServiceKey) is { } refusal)
        {
            return refusal;
        }

        var result = await validator.ValidateAsync(body?.Token, ct);
        if (!result.IsValid)
        {
            return TypedResults.Ok(new { valid = false, error_code = result.ErrorCode, reason = result.Reason });
        }

        var user = result.User!;
        return TypedResults.Ok(new
        {
            valid = true,
            user_id = user.UserId,
            email = user.Email,
            name = user.Name,
            permissions = user.Permissions,
            expires_at = user.ExpiresAt,
        });
    }

    private static IResult Config(IOptions<AuthOptions> options, IHostEnvironment env)
    {
        var auth = options.Value;
        return TypedResults.Ok(new
        {
            issuer = auth.EffectiveIssuer,
            issuer_enforced = auth.EnforceIssuer,
            algorithms = Algorithms,
            token_type = "Bearer",
            access_token_expires_in = (int)auth.AccessTokenLifetime.TotalSeconds,
            refresh_token_expires_in = (int)auth.RefreshTokenLifetime.TotalSeconds,
            enforce_permissions = auth.EnforcePermissions,
            methods = AuthMethods.Enabled(env),
        });
    }
}
