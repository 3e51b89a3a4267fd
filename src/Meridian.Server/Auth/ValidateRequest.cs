namespace Meridian.Server.Auth;

public sealed record ValidateRequest(string? Token);
