namespace Meridian.Server.Mcp;

/// <summary>A tool's name and what it does, as the MCP discovery route lists it.</summary>
public sealed record ToolSummary(string Name, string Description);
