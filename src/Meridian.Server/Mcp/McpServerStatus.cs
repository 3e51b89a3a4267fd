namespace Meridian.Server.Mcp;

/// <summary>One MCP server: where it is, whether it can answer (<c>online</c> or <c>degraded</c>, with why) and what
/// it offers.</summary>
public sealed record McpServerStatus(
    string Name,
    string Url,
    string Transport,
    string Status,
    string? Detail,
    int Tools,
    string ProtocolVersion,
    DateTimeOffset CheckedAt);
