using Meridian.Server.Runs;
using Meridian.Server.Telemetry;
using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

/// <summary>What an agent sees of the run it works in: the run (<see cref="Pipeline"/>), what the stages have found so
/// far (<see cref="Analysis"/>), and its own name, under which its reasoning and tool calls are written.</summary>
public sealed class AgentContext(PipelineContext pipeline, Analysis analysis, string agent)
{
    public PipelineContext Pipeline { get; } = pipeline;

    public Analysis Analysis { get; } = analysis;

    /// <summary>The name of the agent this context was made for (the <c>agent_name</c> of its events).</summary>
    public string Agent { get; } = agent;

    public RunRecord Run => Pipeline.Run;

    public Task ThinkingAsync(string reasoning, CancellationToken cancellationToken) =>
        Pipeline.Emitter.ThinkingAsync(Agent, reasoning, cancellationToken);

    public Task DeltaAsync(string delta, CancellationToken cancellationToken) =>
        Pipeline.Emitter.DeltaAsync(Agent, delta, cancellationToken);

    /// <summary>Calls a tool of <see cref="ToolCatalog"/> inside the run's tool scope, so every call shows as a
    /// <c>tool_executing</c>/<c>tool_completed</c> pair whose <c>result</c> is the tool's summary and <c>data</c> its
    /// numbers: the figures a report may cite (docs/agents.md#4-the-report).</summary>
    public async Task<ToolResult<TData>> CallToolAsync<TArgs, TData>(Tool<TArgs, TData> tool, TArgs arguments, CancellationToken cancellationToken)
    {
        using var span = MeridianTelemetry.StartChild(GenAi.ExecuteTool, tool.Name);
        span?.SetTag(GenAi.OperationName, GenAi.ExecuteTool).SetTag(GenAi.ToolName, tool.Name).SetTag(MeridianTelemetry.Agent, Agent);
        var result = await Pipeline.Emitter.ToolAsync(Agent, tool.Name, tool.Parameters(arguments), _ => Task.FromResult(tool.Run(arguments)), cancellationToken);
        if (!result.IsSuccess)
        {
            span.Fail(result.Summary);
        }

        return result;
    }
}
