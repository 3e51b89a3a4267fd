using System.Text.Json.Nodes;

namespace Meridian.Server.Tools;

/// <summary>A tool as other agents see it over MCP (docs/agents.md#6-mcp): its name, what it does, the JSON Schema of
/// its arguments, and a call on JSON arguments. Every tool is a <see cref="Tool{TArgs, TData}"/> in
/// <see cref="ToolCatalog"/>.</summary>
public abstract class ToolDefinition(string name, string description, JsonObject inputSchema)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public JsonObject InputSchema { get; } = inputSchema;

    /// <summary>MCP's <c>tools/call</c>: reads the arguments from <paramref name="input"/> and runs the tool.</summary>
    public abstract (string Summary, object Data) Invoke(ToolInput input);
}
