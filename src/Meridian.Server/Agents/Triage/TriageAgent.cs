namespace Meridian.Server.Agents.Triage;

/// <summary>Triage: classifies, extracts entities, judges data sufficiency and plans the middle stages
/// (docs/agents.md#21-what-triage-extracts). Its plan is what the pipeline runs.</summary>
public sealed class TriageAgent : IAgent
{
    public string Activity => "Reading the request";

    public async Task<string> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var result = Assess(context.Analysis.Request, context.Analysis.UsageRecords, context.Pipeline.Agent);
        await context.ThinkingAsync(Summary(result), cancellationToken);

        // Kept only once the stage has said what it read, so a failed triage leaves the empty reading in place.
        context.Analysis.Triage = result;
        return $"{result.Category}, data {result.DataSufficiency}";
    }

    public static TriageFindings Assess(string request, long usageRecords, string agent)
    {
        var entities = EntityExtractor.Extract(request);
        var category = RequestClassifier.Classify(request, entities);
        var sufficiency = DataSufficiency.Judge(usageRecords, entities);
        return new TriageFindings(category, RequestClassifier.Priority(category, entities), entities, sufficiency, usageRecords, Plan(agent, sufficiency));
    }

    /// <summary>The stages between triage and reporting, in order. The whole pipeline measures (or asks for data
    /// when there is nothing to measure), optimizes and plans; a single requested agent runs alone.</summary>
    public static IReadOnlyList<string> Plan(string agent, string sufficiency) => agent switch
    {
        AgentCatalog.Supervisor => [sufficiency == DataSufficiency.Insufficient ? AgentCatalog.DataHelper : AgentCatalog.Data, AgentCatalog.Optimization, AgentCatalog.Actions],
        AgentCatalog.Triage or AgentCatalog.Reporting => [],
        _ => [agent],
    };

    public static string Summary(TriageFindings t)
    {
        var e = t.Entities;
        var facts = new List<string>();
        if (e.MonthlySpend is { } spend)
        {
            facts.Add($"spend {Tools.Figures.Usd(Math.Round(spend))} a month");
        }

        if (e.Percentages.Count > 0)
        {
            facts.Add("percentages " + string.Join(", ", e.Percentages.Select(p => Tools.Figures.Pct(p / 100))));
        }

        if (e.CurrentLatency is { } current)
        {
            facts.Add($"{current.Percentile ?? "latency"} {Tools.Figures.Ms(current.Milliseconds)}");
        }

        if (e.TargetLatency is { } target)
        {
            facts.Add($"target {Tools.Figures.Ms(target.Milliseconds)}");
        }

        if (e.GrowthMultiplier is { } growth)
        {
            facts.Add($"growth {growth:0.##}×");
        }

        if (e.Models.Count > 0)
        {
            facts.Add("models " + string.Join(", ", e.Models));
        }

        var stated = facts.Count == 0 ? "no figures stated" : string.Join("; ", facts);
        return $"{t.Category} request, {t.Priority} priority; {stated}; data {t.DataSufficiency} ({t.UsageRecords} usage records); " +
            $"plan: {string.Join(" → ", t.Plan.Prepend(AgentCatalog.Triage).Append(AgentCatalog.Reporting))}.";
    }

    public static IReadOnlyList<string> FullPlan(string agent) =>
        Plan(agent, DataSufficiency.Sufficient).Prepend(AgentCatalog.Triage).Append(AgentCatalog.Reporting).ToList();
}
