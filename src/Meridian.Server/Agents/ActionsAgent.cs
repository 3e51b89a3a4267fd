using Meridian.Server.Runs;
using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

/// <summary>Actions: turns the priced strategies into an ordered plan with owners, checks and rollbacks.</summary>
public static class ActionsAgent
{
    public static async Task<StageResult<PlanData>> RunAsync(PipelineContext context, Analysis analysis, CancellationToken ct)
    {
        var strategies = analysis.Optimization?.Strategies ?? [];
        var plan = await ToolCalls.RunAsync(context, AgentCatalog.Actions, PlanBuilder.Name, new { strategies = strategies.Select(s => s.Id) },
            () => PlanBuilder.Run(strategies), ct);
        return new(plan.Data, $"{plan.Data.Steps.Count} steps");
    }
}
