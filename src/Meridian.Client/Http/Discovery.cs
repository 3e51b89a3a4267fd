namespace Meridian.Client.Http;

public sealed record Discovery(DiscoveryServices? Services, string? Timestamp, bool Available);
