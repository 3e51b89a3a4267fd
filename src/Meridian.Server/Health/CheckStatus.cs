namespace Meridian.Server.Health;

/// <summary>One readiness check: <c>healthy</c>, or <c>unhealthy</c> with its error.</summary>
public sealed record CheckStatus(string Status, string? Error);
