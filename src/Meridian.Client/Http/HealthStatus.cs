namespace Meridian.Client.Http;

public sealed record HealthStatus(string Status, string? Service, string? Version, double? UptimeSeconds, string? Phase);
