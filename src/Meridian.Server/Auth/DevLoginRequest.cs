namespace Meridian.Server.Auth;

public sealed record DevLoginRequest(string? Email, string? Name);
