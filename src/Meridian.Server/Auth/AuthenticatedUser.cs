namespace Meridian.Server.Auth;

/// <summary>Who a valid access token speaks for. <see cref="TokenId"/> and <see cref="SessionId"/> are absent for
/// tokens minted elsewhere that do not carry <c>jti</c> / <c>sid</c>.</summary>
public sealed record AuthenticatedUser(
    string UserId,
    string? Email,
    string Name,
    IReadOnlyList<string> Permissions,
    DateTimeOffset ExpiresAt,
    string? TokenId,
    string? SessionId)
{
    public bool HasPermission(string permission) => Permissions.Contains(permission, StringComparer.Ordinal);
}
