namespace Meridian.Server.Mcp;

/// <summary>The answer of <c>GET /api/mcp/config</c>: how to connect to <c>/mcp</c>, its tools, and a ready-made
/// entry for an MCP client's configuration file (docs/agents.md#6-mcp).</summary>
public sealed record McpConfig(
    string Name,
    string Url,
    string Transport,
    McpAuth Auth,
    IReadOnlyList<string> ProtocolVersions,
    IEnumerable<ToolSummary> Tools,
    IReadOnlyDictionary<string, object> ClientConfig);
