namespace Meridian.Server.Tools;

/// <summary>What a tool call produced: a readable one-paragraph summary (the <c>result</c> of <c>tool_completed</c>)
/// and the numbers (its <c>data</c>), or, when <see cref="IsSuccess"/> is false, why it failed
/// (docs/runs.md#2-events). The one result type of the tool layer: tools return it, the emitter records it.</summary>
public sealed record ToolResult<T>(string Summary, T Data)
{
    public bool IsSuccess { get; private init; } = true;

    public static ToolResult<T> Success(string summary, T data = default!) => new(summary, data);

    public static ToolResult<T> Error(string summary) => new(summary, default!) { IsSuccess = false };
}
