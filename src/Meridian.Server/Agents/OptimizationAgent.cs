using Meridian.Server.Pricing;
using Meridian.Server.Runs;
using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

/// <summary>Optimization: prices the strategies for the baseline the data stage produced (or, when it did not run or
/// failed, the one the request's own figures give), and projects growth when the request is about it.</summary>
public sealed class OptimizationAgent(PriceCatalog catalog)
{
    public async Task<StageResult<OptimizationFindings>> RunAsync(PipelineContext context, Analysis analysis, CancellationToken ct)
    {
        const string agent = AgentCatalog.Optimization;
        var baseline = analysis.Data?.Baseline ?? analysis.EstimatedBaseline(catalog);
        var models = baseline.Models.Select(m => m.Model).ToList();
        var prices = await ToolCalls.RunAsync(context, agent, PriceLookup.Name, new { models }, () => PriceLookup.Run(catalog, models), ct);
        var goals = analysis.Goals;
        var savings = await ToolCalls.RunAsync(context, agent, SavingsEstimate.Name,
            new { monthly_cost_usd = baseline.MonthlyCostUsd, measured = baseline.Measured, target_savings_pct = goals.TargetSavingsPct, target_p95_ms = goals.TargetP95Ms },
            () => SavingsEstimate.Run(baseline, catalog, goals), ct);
        var findings = new List<string> { prices.Summary, savings.Summary };
        GrowthData? growth = null;
        if (goals.GrowthMultiplier is > 1 || baseline.MonthlyGrowth > 0 || analysis.Triage.Category == Triage.RequestClassifier.Capacity)
        {
            var projection = await ToolCalls.RunAsync(context, agent, GrowthProjection.Name,
                new { growth_multiplier = goals.GrowthMultiplier, horizon_months = goals.HorizonMonths, monthly_growth = baseline.MonthlyGrowth },
                () => GrowthProjection.Run(baseline, goals, savings.Data.CombinedSavingsPct), ct);
            growth = projection.Data;
            findings.Add(projection.Summary);
        }

        return new(new OptimizationFindings(savings.Data, growth, prices.Data, findings),
            $"{savings.Data.Strategies.Count} strategies, {Figures.Pct(savings.Data.CombinedSavingsPct)} combined");
    }
}
