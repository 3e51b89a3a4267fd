namespace Meridian.Server.Auth;

/// <summary>A token that is valid (<c>"valid": true</c>), and whom it speaks for.</summary>
public sealed record ValidToken(bool Valid, string UserId, string? Email, string Name, IReadOnlyList<string> Permissions, DateTimeOffset ExpiresAt)
    : TokenCheck
{
    public static ValidToken Of(AuthenticatedUser user) =>
        new(true, user.UserId, user.Email, user.Name, user.Permissions, user.ExpiresAt);
}
