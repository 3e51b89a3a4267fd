namespace Meridian.Server.Auth;

/// <summary>How tokens are issued and checked (<c>GET /auth/config</c>), for services that validate them themselves.</summary>
public sealed record AuthConfig(
    string Issuer,
    bool IssuerEnforced,
    IReadOnlyList<string> Algorithms,
    string TokenType,
    int AccessTokenExpiresIn,
    int RefreshTokenExpiresIn,
    bool EnforcePermissions,
    IReadOnlyList<string> Methods);
