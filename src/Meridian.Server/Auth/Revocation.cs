using Meridian.Server.Errors;

namespace Meridian.Server.Auth;

/// <summary>Something that ends a user's access before their tokens expire: one access token (<c>jti</c>), one
/// session (refresh family, the <c>sid</c> of its access tokens), or the whole account (disabled). Open sockets
/// authenticated by what it ends are closed (docs/auth.md#11-revocation-and-open-sockets).</summary>
internal sealed record Revocation(string UserId, string? TokenId, string? SessionId, bool AccountDisabled)
{
    public static Revocation Token(string userId, string tokenId) => new(userId, tokenId, null, false);

    public static Revocation Session(string userId, string sessionId) => new(userId, null, sessionId, false);

    public static Revocation Account(string userId) => new(userId, null, null, true);

    public ErrorCode Error => AccountDisabled ? ErrorCodes.AccountDisabled : ErrorCodes.TokenRevoked;

    public string Message => AccountDisabled
        ? DisabledAccount.Message
        : "This socket's token was revoked (logout, or a reused refresh token ended its session); sign in again.";

    /// <summary>Whether <paramref name="user"/> (who a token speaks for) is cut off by this revocation.</summary>
    public bool Ends(AuthenticatedUser user) =>
        string.Equals(user.UserId, UserId, StringComparison.Ordinal)
        && (AccountDisabled
            || (TokenId is not null && string.Equals(user.TokenId, TokenId, StringComparison.Ordinal))
            || (SessionId is not null && string.Equals(user.SessionId, SessionId, StringComparison.Ordinal)));
}
