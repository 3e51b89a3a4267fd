using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

/// <summary>Actions: turns the priced strategies into an ordered plan with owners, checks and rollbacks.</summary>
public sealed class ActionsAgent : IAgent
{
    public string Activity => "Planning the changes";

    public async Task<string> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var plan = await context.CallToolAsync(ToolCatalog.Plan, context.Analysis.Optimization?.Strategies ?? [], cancellationToken);
        context.Analysis.Actions = plan.Data;
        return $"{plan.Data.Steps.Count} steps";
    }
}
