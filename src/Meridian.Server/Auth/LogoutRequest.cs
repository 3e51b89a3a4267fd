namespace Meridian.Server.Auth;

public sealed record LogoutRequest(string? RefreshToken);
