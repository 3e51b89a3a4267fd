using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Meridian.Server.Auth;

/// <summary><c>POST /auth/refresh</c>, <c>POST /auth/logout</c> and <c>GET /auth/me</c>.</summary>
internal static partial class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapPost("/refresh", Refresh).WithName("auth-refresh")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.InvalidToken, ErrorCodes.AccountDisabled);
        auth.MapPost("/logout", Logout).WithName("auth-logout").RequireAuthorization().ProducesProblems(ErrorCodes.Unauthorized);
        auth.MapGet("/me", Me).WithName("auth-me").RequireAuthorization().ProducesProblems(ErrorCodes.Unauthorized, ErrorCodes.NotFound);
        return auth;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Refresh(
        RefreshRequest? body, RefreshTokenStore refreshTokens, UserStore users, TokenIssuer issuer,
        ILoggerFactory loggers, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.RefreshToken))
        {
            return Problems.Validation("refresh_token", "refresh_token is required.");
        }

        var outcome = await refreshTokens.SpendAsync(body.RefreshToken, ct);
        switch (outcome.Status)
        {
            case RefreshStatus.Reused:
                LogReuse(loggers.CreateLogger(typeof(SessionEndpoints)));
                return Unauthorized(ErrorCodes.InvalidToken, "The refresh token was already used; its session has been revoked.");
            case RefreshStatus.Expired:
                return Unauthorized(ErrorCodes.TokenExpired, "The refresh token has expired.");
            case RefreshStatus.Invalid:
                return Unauthorized(ErrorCodes.InvalidToken, "The refresh token is not valid.");
        }

        var user = await users.FindByIdAsync(outcome.UserId!, ct);
        if (user is null || user.Disabled)
        {
            return DisabledAccount.Problem();
        }

        return TypedResults.Ok(await issuer.IssueAsync(user, outcome.FamilyId, ct));
    }

    /// <summary>Revokes the presented access token until it expires and its session (refresh family); a refresh
    /// token in the body ends its family too, for clients holding tokens minted elsewhere without <c>sid</c>. The
    /// sockets opened with them are closed at once (the stores signal the gateway).</summary>
    private static async Task<Ok<LogoutResponse>> Logout(
        LogoutRequest? body, HttpContext context, RevokedTokens revoked, RefreshTokenStore refreshTokens, CancellationToken ct)
    {
        var user = context.CurrentUser();
        if (user.TokenId is not null)
        {
            await revoked.RevokeAsync(user.UserId, user.TokenId, user.ExpiresAt, ct);
        }

        if (user.SessionId is not null)
        {
            await refreshTokens.RevokeFamilyAsync(user.SessionId, user.UserId, ct);
        }

        if (!string.IsNullOrWhiteSpace(body?.RefreshToken)
            && await refreshTokens.FamilyOfAsync(body.RefreshToken, user.UserId, ct) is { } family)
        {
            await refreshTokens.RevokeFamilyAsync(family, user.UserId, ct);
        }

        return TypedResults.Ok(LogoutResponse.LoggedOut);
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> Me(HttpContext context, UserStore users, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(context.UserId(), ct);
        return user is null ? Problems.NotFound("The user no longer exists.") : TypedResults.Ok(user.ToView());
    }

    private static ProblemHttpResult Unauthorized(ErrorCode code, string detail) => Problems.Result(code, detail);

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning, Message = "A used refresh token was presented again; its session was revoked")]
    private static partial void LogReuse(ILogger logger);
}
