namespace Meridian.Server.Tools;

/// <summary>What a tool returns: a readable one-paragraph summary (the event's <c>result</c>) and the numbers (its <c>data</c>).</summary>
public sealed record ToolResult<T>(string Summary, T Data);
