namespace Meridian.Server.Http;

/// <summary>Which paths are for programs rather than people. They are never redirected to HTTPS and, except
/// health, metrics and docs, need a node that has finished starting.</summary>
public static class RouteKinds
{
    private static readonly string[] Probes = ["/health", "/api/health", "/metrics", "/ws/health", "/ws/config"];
    private static readonly string[] Work = ["/api", "/auth", "/ws", "/websocket", "/mcp", "/v1"];

    public static bool IsMachineRoute(PathString path) => Matches(path, Probes) || Matches(path, Work);

    /// <summary>Health, metrics and gateway-configuration probes: polled all day, so not traced.</summary>
    public static bool IsProbe(PathString path) => Matches(path, Probes);

    /// <summary>Routes that do work (API, auth, WebSocket, MCP, OTLP ingest): refused while the node starts or drains
    /// (an OpenTelemetry exporter retries a 503 after its Retry-After).</summary>
    public static bool NeedsReadyNode(PathString path) => !Matches(path, Probes) && Matches(path, Work);

    private static bool Matches(PathString path, string[] prefixes) => prefixes.Any(p => path.StartsWithSegments(p));
}
