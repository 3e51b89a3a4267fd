namespace Meridian.Server.Health;

/// <summary>The answer of <c>GET /api/discovery/services</c>: where a client reaches each part of Meridian.</summary>
public sealed record ServiceDiscovery(DiscoveredServices Services, DateTimeOffset Timestamp, bool Available);
