namespace Meridian.Server.Auth;

/// <summary>The answer of register, login, refresh and the test logins.</summary>
public sealed record TokenResponse(
    string AccessToken,
    string RefreshToken,
    string TokenType,
    int ExpiresIn,
    int RefreshExpiresIn,
    UserView User);
