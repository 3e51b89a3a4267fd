namespace Meridian.Server.Mcp;

/// <summary>How Meridian's MCP server introduces itself (docs/agents.md#6-mcp), for the SDK's <c>initialize</c>
/// answer and the discovery routes alike.</summary>
public static class McpServerInfo
{
    public const string Name = "meridian";

    public const string Title = "Meridian";

    public const string Transport = "streamable-http";

    public const string Instructions =
        "Tools over the caller's own LLM usage records and Meridian's price catalog. Import records first (POST /api/workloads/import) or pass stated figures to the pricing tools.";

    /// <summary>The revisions the SDK negotiates through <c>initialize</c>, newest first: a client asking for another
    /// gets the newest.</summary>
    public static readonly IReadOnlyList<string> ProtocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

    public static string Version => typeof(McpServerInfo).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
}
