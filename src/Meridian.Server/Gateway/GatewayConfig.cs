namespace Meridian.Server.Gateway;

/// <summary>The answer of <c>GET /ws/config</c>: where and how to open the socket, and the limits it keeps
/// (docs/protocol.md#6-discovery).</summary>
public sealed record GatewayConfig(
    string Endpoint,
    IReadOnlyList<string> Aliases,
    int ProtocolVersion,
    string Subprotocol,
    IReadOnlyList<string> AuthMethods,
    GatewayLimits Limits);
