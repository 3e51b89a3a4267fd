namespace Meridian.Server.Health;

/// <summary>Where the <c>/auth</c> routes are.</summary>
public sealed record AuthService(string Url);
