namespace Meridian.Server.Auth;

/// <summary>Of the identities asked about, those the database says are cut off: disabled users, revoked access
/// tokens (<c>jti</c>) and revoked sessions (<c>sid</c>).</summary>
internal sealed class RevokedSet(IReadOnlySet<string> disabledUsers, IReadOnlySet<string> tokenIds, IReadOnlySet<string> sessionIds)
{
    public bool IsEmpty => disabledUsers.Count == 0 && tokenIds.Count == 0 && sessionIds.Count == 0;

    /// <summary>What ends <paramref name="user"/>'s access, or null when nothing does. Disabling wins: it ends
    /// every token of the account, not just this one.</summary>
    public Revocation? Ending(AuthenticatedUser user)
    {
        if (disabledUsers.Contains(user.UserId))
        {
            return Revocation.Account(user.UserId);
        }

        if (user.TokenId is { } jti && tokenIds.Contains(jti))
        {
            return Revocation.Token(user.UserId, jti);
        }

        return user.SessionId is { } sid && sessionIds.Contains(sid) ? Revocation.Session(user.UserId, sid) : null;
    }
}
