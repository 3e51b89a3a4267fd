namespace Meridian.Server.Auth;

public sealed record RefreshRequest(string? RefreshToken);
