namespace Meridian.Server.Runs;

/// <summary>A tool call whose <c>tool_executing</c> is written and whose <c>tool_completed</c> is not.</summary>
internal sealed record OpenTool(string Agent, string Name, string CallId, long Started);
