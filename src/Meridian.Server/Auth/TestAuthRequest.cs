namespace Meridian.Server.Auth;

public sealed record TestAuthRequest(string? Email, string? Name, string[]? Permissions);
