using Meridian.Server.Agents.Triage;
using Meridian.Server.Pricing;
using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

/// <summary>Optimization: prices the strategies for the baseline the data stage produced (or, when it did not run or
/// failed, the one the request's own figures give), and projects growth when the request is about it.</summary>
public sealed class OptimizationAgent(CurrentPrices prices) : IAgent
{
    public string Activity => "Pricing strategies";

    public async Task<string> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var analysis = context.Analysis;
        var catalog = prices.Catalog;
        var baseline = analysis.Data?.Baseline ?? analysis.EstimatedBaseline(catalog);
        var lookup = await context.CallToolAsync(ToolCatalog.Prices, (catalog, baseline.Models.Select(m => m.Model).ToList()), cancellationToken);
        var goals = analysis.Goals;
        var savings = await context.CallToolAsync(ToolCatalog.Savings, (baseline, catalog, goals), cancellationToken);
        var findings = new List<string> { lookup.Summary, savings.Summary };
        GrowthData? growth = null;
        if (goals.GrowthMultiplier is > 1 || baseline.MonthlyGrowth > 0 || analysis.Triage.Category == RequestClassifier.Capacity)
        {
            var projection = await context.CallToolAsync(ToolCatalog.Growth, (baseline, goals, savings.Data.CombinedSavingsPct), cancellationToken);
            growth = projection.Data;
            findings.Add(projection.Summary);
        }

        analysis.Optimization = new OptimizationFindings(savings.Data, growth, lookup.Data, findings);
        return $"{savings.Data.Strategies.Count} strategies, {Figures.Pct(savings.Data.CombinedSavingsPct)} combined";
    }
}
