namespace Meridian.Server.Health;

/// <summary>A started node: <c>healthy</c>, or <c>draining</c> while it shuts down.</summary>
public sealed record ServiceHealth(string Status, string Service, string Version, double UptimeSeconds) : HealthStatus;
