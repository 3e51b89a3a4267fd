namespace Meridian.Server.Mcp;

/// <summary>The answer of <c>GET /api/mcp/servers</c>: the MCP servers this node offers (one, Meridian's).</summary>
public sealed record McpServerList(IReadOnlyList<McpServerStatus> Servers);
