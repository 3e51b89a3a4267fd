using Meridian.Server.Agents.Triage;
using Meridian.Server.Runs;
using Meridian.Server.Workloads;

namespace Meridian.Server.Agents;

/// <summary>The agents' pipeline (docs/agents.md#1-the-pipeline): triage first, then the stages triage planned, then
/// reporting, each run through the agent registered under its name. A failed stage is recorded and the run goes on
/// with what the others found; reporting always answers.</summary>
public sealed class AnalysisPipeline(UsageStore usage, IServiceProvider services) : IRunPipeline
{
    /// <summary>Each agent of <see cref="AgentCatalog.Registered"/> by name; the catalog, not this class, says which
    /// agents exist, so the services are asked for the classes it names.</summary>
    private readonly Dictionary<string, IAgent> _agents = AgentCatalog.Registered.ToDictionary(
        r => r.Info.Name, r => (IAgent)services.GetRequiredService(r.AgentType), StringComparer.Ordinal);

    public IReadOnlyList<string> Plan(string agent) => TriageAgent.FullPlan(agent);

    public async Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var records = await usage.CountAsync(context.Run.UserId, cancellationToken);

        // Until triage has read the request it is a general one with nothing stated: what the run goes on with when
        // triage fails.
        var analysis = new Analysis(context.Input, records, TriageAgent.Assess(string.Empty, records, context.Agent));
        await RunStageAsync(AgentCatalog.Triage, context, analysis, cancellationToken);
        foreach (var stage in analysis.Triage.Plan)
        {
            await RunStageAsync(stage, context, analysis, cancellationToken);
        }

        await RunStageAsync(AgentCatalog.Reporting, context, analysis, cancellationToken);
        var report = analysis.Report!;
        return new PipelineResult(report.Response, new
        {
            triage = analysis.Triage,
            data = analysis.Data,
            data_requests = analysis.DataRequests,
            optimization = analysis.Optimization,
            actions = analysis.Actions,
            failed_stages = analysis.FailedStages,
            report = new { engine = report.Engine, fell_back = report.FellBack, fallback_reason = report.FallbackReason },
        }, report.Usage);
    }

    /// <summary>Runs one agent as a stage. The agent's findings go into the analysis; the stage's value only says
    /// that it ran.</summary>
    private async Task RunStageAsync(string name, PipelineContext pipeline, Analysis analysis, CancellationToken cancellationToken)
    {
        if (!_agents.TryGetValue(name, out var agent))
        {
            return;
        }

        var context = new AgentContext(pipeline, analysis, name);
        var stage = await pipeline.StageAsync(name, agent.Activity,
            async ct => new StageResult<bool>(true, await agent.RunAsync(context, ct)), cancellationToken);
        if (!stage.Succeeded)
        {
            await agent.OnFailedAsync(context, stage.Error!, cancellationToken);
        }
    }
}
