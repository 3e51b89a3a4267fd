namespace Meridian.Server.Health;

/// <summary>A node still starting: the phase it is in, and the last startup error (it retries).</summary>
public sealed record StartingHealth(string Status, string Phase, string? Error, string Service) : HealthStatus;
