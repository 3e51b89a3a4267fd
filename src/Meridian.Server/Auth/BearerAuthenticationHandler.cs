using System.Security.Claims;
using System.Text.Encodings.Web;
using Meridian.Server.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

/// <summary>The "Bearer" authentication scheme: <c>Authorization: Bearer &lt;jwt&gt;</c> checked by
/// <see cref="TokenValidator"/>. Refusals are problem bodies: 401 with <c>WWW-Authenticate: Bearer</c> and
/// <c>INVALID_TOKEN</c> / <c>TOKEN_EXPIRED</c> / <c>AUTH_REQUIRED</c>, 403 for a disabled account or a missing
/// permission.</summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenValidator validator) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Only routes that require authorization look at the token: public routes (health probes while the
        // database is still migrating, login, discovery) never pay a database lookup for a header they ignore.
        var header = Request.Headers.Authorization.ToString();
        if (Context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is null
            || !header.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var result = await validator.ValidateAsync(header[(SchemeName.Length + 1)..].Trim(), Context.RequestAborted);
        Context.Features.Set(result);
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail(result.Reason ?? "The token is not valid.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(Principal(result.User!), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = Context.Features.Get<TokenValidation>();
        if (result?.Error == ErrorCodes.AccountDisabled)
        {
            return Problems.Write(Context, ErrorCodes.AccountDisabled, result.Reason!);
        }

        // RFC 6750: a presented but bad token is error="invalid_token"; no token at all gets the bare challenge.
        Response.Headers.WWWAuthenticate = result is null ? SchemeName : $"{SchemeName} error=\"invalid_token\"";
        return result is null
            ? Problems.Write(Context, ErrorCodes.AuthRequired,
                "Authentication required: send Authorization: Bearer <token>.")
            : Problems.Write(Context, result.Error!, result.Reason!);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, ErrorCodes.Forbidden, "You are not allowed to do this.");

    private static ClaimsPrincipal Principal(AuthenticatedUser user)
    {
        var claims = new List<Claim> { new("sub", user.UserId), new("name", user.Name) };
        if (user.Email is not null)
        {
            claims.Add(new Claim("email", user.Email));
        }

        // Permissions double as roles, so a route can say RequireAuthorization(p => p.RequireRole("chat")).
        claims.AddRange(user.Permissions.Select(p => new Claim("permissions", p)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, "name", "permissions"));
    }
}
