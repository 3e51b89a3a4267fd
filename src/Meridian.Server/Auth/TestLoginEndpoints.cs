using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

/// <summary>Doors for automated tests and local development that issue real tokens without a password:
/// <c>POST /auth/e2e/test-auth</c> (needs <c>Auth:E2EBypassKey</c>, never in Production) and
/// <c>POST /auth/dev/login</c> (Development only).</summary>
internal static class TestLoginEndpoints
{
    public const string BypassKeyHeader = "X-E2E-Bypass-Key";

    public static RouteGroupBuilder MapTestLoginEndpoints(this RouteGroupBuilder auth, IHostEnvironment env)
    {
        // Not even mapped in Production, so no configuration mistake can open it there.
        if (!env.IsProduction())
        {
            auth.MapPost("/e2e/test-auth", TestAuth).WithName("auth-e2e-test-auth").ExcludeFromDescription();
        }

        if (env.IsDevelopment())
        {
            auth.MapPost("/dev/login", DevLogin).WithName("auth-dev-login").ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.AccountDisabled);
        }

        return auth;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> TestAuth(
        TestAuthRequest? body, HttpContext context, UserStore users, TokenIssuer issuer, IOptions<AuthOptions> options,
        CancellationToken ct)
    {
        if (KeyGuard.Refuse(context, options.Value.E2EBypassKey, BypassKeyHeader, ErrorCodes.InvalidBypassKey) is { } refusal)
        {
            return refusal;
        }

        if (CredentialRules.CheckEmail(body?.Email) is { } emailError)
        {
            return Problems.Validation("email", emailError);
        }

        return await IssueAsync(users, issuer, CredentialRules.NormalizeEmail(body!.Email!), body.Name,
            body.Permissions ?? options.Value.InitialPermissions, ct);
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> DevLogin(
        DevLoginRequest? body, UserStore users, TokenIssuer issuer, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var email = string.IsNullOrWhiteSpace(body?.Email) ? "dev@meridian.local" : body.Email;
        if (CredentialRules.CheckEmail(email) is { } emailError)
        {
            return Problems.Validation("email", emailError);
        }

        return await IssueAsync(users, issuer, CredentialRules.NormalizeEmail(email), body?.Name ?? "Developer",
            options.Value.InitialPermissions, ct);
    }

    /// <summary>Tokens for the user with this email, created if needed; a given name and permissions replace the
    /// stored ones (tests set up the user they need). A disabled account gets no tokens and is left as it is: these
    /// doors sign in like a password would, and a password login refuses it too.</summary>
    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueAsync(
        UserStore users, TokenIssuer issuer, string email, string? name, IReadOnlyList<string> permissions, CancellationToken ct)
    {
        var displayName = CredentialRules.DisplayName(name, email);
        var user = await users.FindByEmailAsync(email, ct)
            ?? await users.CreateAsync(null, email, displayName, null, permissions, ct)
            ?? await users.FindByEmailAsync(email, ct)
            ?? throw new InvalidOperationException("The test user could not be created.");
        if (user.Disabled)
        {
            return DisabledAccount.Problem();
        }

        await users.UpdateProfileAsync(user.Id, displayName, permissions, ct);
        return TypedResults.Ok(await issuer.IssueAsync((await users.FindByIdAsync(user.Id, ct))!, null, ct));
    }
}
