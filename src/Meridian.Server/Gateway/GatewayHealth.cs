namespace Meridian.Server.Gateway;

/// <summary>The answer of <c>GET /ws/health</c>: this node's sockets (docs/protocol.md#6-discovery).</summary>
public sealed record GatewayHealth(
    string Status,
    int ActiveConnections,
    int AuthenticatedConnections,
    int Users,
    int SendQueueDepth);
