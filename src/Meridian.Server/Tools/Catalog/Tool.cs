using System.Text.Json.Nodes;

namespace Meridian.Server.Tools;

/// <summary>One tool with typed arguments. MCP reads the arguments from JSON (<c>read</c>), agents build them in code;
/// both run the same <see cref="Run"/>, so a tool's name, arguments and result shape are defined once, in
/// <see cref="ToolCatalog"/>. <c>parameters</c> says what <c>tool_executing</c> shows for a call
/// (docs/runs.md#2-events).</summary>
public sealed class Tool<TArgs, TData>(
    string name,
    string description,
    JsonObject inputSchema,
    Func<ToolInput, TArgs> read,
    Func<TArgs, ToolResult<TData>> run,
    Func<TArgs, object> parameters) : ToolDefinition(name, description, inputSchema)
{
    public ToolResult<TData> Run(TArgs arguments) => run(arguments);

    /// <summary>The <c>parameters</c> of the <c>tool_executing</c> event for a call with these arguments.</summary>
    public object Parameters(TArgs arguments) => parameters(arguments);

    public override (string Summary, object Data) Invoke(ToolInput input)
    {
        var result = run(read(input));
        return (result.Summary, result.Data!);
    }
}
