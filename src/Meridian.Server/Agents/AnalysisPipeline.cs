using Meridian.Server.Agents.Triage;
using Meridian.Server.Runs;
using Meridian.Server.Workloads;

namespace Meridian.Server.Agents;

/// <summary>The agents' pipeline (docs/agents.md): triage first, then the stages triage planned, then reporting. A failed
/// middle stage is recorded and the run goes on with what the others found; reporting always answers.</summary>
public sealed class AnalysisPipeline(UsageStore usage, DataAgent data, OptimizationAgent optimization, ReportingAgent reporting) : IRunPipeline
{
    public IReadOnlyList<string> Plan(string agent) => TriageAgent.FullPlan(agent);

    public async Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var records = await usage.CountAsync(context.Run.UserId, cancellationToken);
        var triage = await context.StageAsync(AgentCatalog.Triage, "Reading the request", async ct =>
        {
            var result = TriageAgent.Assess(context.Input, records, context.Agent);
            await context.Emitter.ThinkingAsync(AgentCatalog.Triage, TriageAgent.Summary(result), ct);
            return new StageResult<TriageResult>(result, $"{result.Category}, data {result.DataSufficiency}");
        }, cancellationToken);

        // Without triage's reading, the request is treated as a general one with nothing stated.
        var analysis = new Analysis(context.Input, triage.Value ?? TriageAgent.Assess(string.Empty, records, context.Agent));
        if (!triage.Succeeded)
        {
            analysis.FailedStages.Add(AgentCatalog.Triage);
        }

        foreach (var stage in analysis.Triage.Plan)
        {
            var succeeded = stage switch
            {
                AgentCatalog.Data => Keep(await context.StageAsync(stage, "Measuring usage", ct => data.RunAsync(context, analysis, ct), cancellationToken), v => analysis.Data = v),
                AgentCatalog.DataHelper => Keep(await context.StageAsync(stage, "Working out which data would help", ct => DataHelperAgent.RunAsync(context, analysis, ct), cancellationToken), v => analysis.DataRequests = v),
                AgentCatalog.Optimization => Keep(await context.StageAsync(stage, "Pricing strategies", ct => optimization.RunAsync(context, analysis, ct), cancellationToken), v => analysis.Optimization = v),
                AgentCatalog.Actions => Keep(await context.StageAsync(stage, "Planning the changes", ct => ActionsAgent.RunAsync(context, analysis, ct), cancellationToken), v => analysis.Actions = v),
                _ => true,
            };
            if (!succeeded)
            {
                analysis.FailedStages.Add(stage);
            }
        }

        var report = await reporting.RunAsync(context, analysis, cancellationToken);
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

    private static bool Keep<T>(StageOutcome<T> outcome, Action<T> store)
    {
        if (outcome.Succeeded)
        {
            store(outcome.Value!);
        }

        return outcome.Succeeded;
    }
}
