using Meridian.Server.Runs;
using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

/// <summary>Calls a tool inside the run's tool scope, so every call shows as a <c>tool_executing</c>/<c>tool_completed</c>
/// pair whose <c>result</c> is the tool's summary and <c>data</c> its numbers: the figures a report may cite.</summary>
public static class ToolCalls
{
    public static async Task<ToolResult<T>> RunAsync<T>(
        PipelineContext context, string agent, string tool, object parameters, Func<ToolResult<T>> call, CancellationToken cancellationToken)
    {
        ToolResult<T>? result = null;
        await context.Emitter.ToolAsync(agent, tool, parameters, _ =>
        {
            result = call();
            return Task.FromResult(ToolOutcome.Success(result.Summary, result.Data));
        }, cancellationToken);
        return result!;
    }
}
