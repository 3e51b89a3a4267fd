using Meridian.Server.Pricing;
using Meridian.Server.Workloads;
using static Meridian.Server.Tools.ToolSchemas;

namespace Meridian.Server.Tools;

/// <summary>Every tool of docs/agents.md#3-the-tools, defined once: name, description, JSON Schema, how MCP's JSON
/// arguments become the tool's arguments, the function, and what <c>tool_executing</c> shows. Agents call these
/// entries (through <c>AgentContext.CallToolAsync</c>) and MCP's <c>tools/call</c> calls the same ones.
/// Selection arguments (<c>last_days</c>, <c>model</c>, <c>feature</c>) narrow the caller's records; pricing tools
/// fall back to stated figures when there are none.</summary>
public static class ToolCatalog
{
    /// <summary>A null filter: the records are already the ones to read (MCP selects them; the data helper reads all).</summary>
    public static readonly Tool<(IReadOnlyList<UsageRecord> Records, UsageFilter? Filter), UsageOverview> Usage = new(
        UsageQuery.Name, "Volume, spend, monthly run-rate, tokens, error rate and month-over-month trend of the caller's usage records.",
        Schema(Selection), input => (input.Selected, null),
        a => UsageQuery.Run(a.Records, a.Filter ?? UsageFilter.All),
        a => a.Filter is null ? new { } : (object)new { last_days = a.Filter.LastDays });

    public static readonly Tool<IReadOnlyList<UsageRecord>, CostBreakdownData> Costs = new(
        CostBreakdown.Name, "Spend, tokens, p95 latency and error rate by model and by product feature.",
        Schema(Selection), input => input.Selected, CostBreakdown.Run, _ => new { group_by = "model, feature" });

    public static readonly Tool<IReadOnlyList<UsageRecord>, LatencyProfileData> Latency = new(
        LatencyProfile.Name, "Latency p50/p95/p99 overall and per model, error rate, and calls by hour of day (UTC).",
        Schema(Selection), input => input.Selected, LatencyProfile.Run, _ => new { });

    public static readonly Tool<(IReadOnlyList<UsageRecord> Records, PriceCatalog Catalog), CacheOpportunityData> Cache = new(
        CacheOpportunity.Name, "Share of calls repeating a prompt already sent, and the monthly saving of prompt caching.",
        Schema(Selection), input => (input.Selected, input.Catalog), a => CacheOpportunity.Run(a.Records, a.Catalog), _ => new { });

    /// <summary>No models named over MCP: the models in the caller's records.</summary>
    public static readonly Tool<(PriceCatalog Catalog, IReadOnlyList<string> Models), PriceLookupData> Prices = new(
        PriceLookup.Name, "Catalog prices of the named models (default: the models in the records) and a cheaper model one tier down for each.",
        Schema(Models), input => (input.Catalog, input.Texts("models") is { Count: > 0 } named ? named : input.Records.Select(r => r.Model).Distinct().ToList()),
        a => PriceLookup.Run(a.Catalog, a.Models), a => new { models = a.Models });

    public static readonly Tool<(Baseline Baseline, PriceCatalog Catalog, Goals Goals), SavingsData> Savings = new(
        SavingsEstimate.Name, "Savings of each strategy (routing, caching, batch, output caps, prompt trimming, latency, capacity) from the records, or from stated figures when there are none.",
        Schema(Selection, Stated), input => (input.Baseline, input.Catalog, input.Goals),
        a => SavingsEstimate.Run(a.Baseline, a.Catalog, a.Goals),
        a => new { monthly_cost_usd = a.Baseline.MonthlyCostUsd, measured = a.Baseline.Measured, target_savings_pct = a.Goals.TargetSavingsPct, target_p95_ms = a.Goals.TargetP95Ms });

    /// <summary>Over MCP the combined saving is priced first, from the same arguments.</summary>
    public static readonly Tool<(Baseline Baseline, Goals Goals, double CombinedSavingsPct), GrowthData> Growth = new(
        GrowthProjection.Name, "Monthly bill over a horizon, growing to a multiplier (or at the measured trend), with and without the combined savings.",
        Schema(Selection, Stated, ToolSchemas.Growth), input =>
        {
            var baseline = input.Baseline;
            return (baseline, input.Goals, SavingsEstimate.Run(baseline, input.Catalog, input.Goals).Data.CombinedSavingsPct);
        },
        a => GrowthProjection.Run(a.Baseline, a.Goals, a.CombinedSavingsPct),
        a => new { growth_multiplier = a.Goals.GrowthMultiplier, horizon_months = a.Goals.HorizonMonths, monthly_growth = a.Baseline.MonthlyGrowth });

    /// <summary>Over MCP the strategies are priced first, from the same arguments.</summary>
    public static readonly Tool<IReadOnlyList<Strategy>, PlanData> Plan = new(
        PlanBuilder.Name, "An ordered implementation plan (owner, effort, config changes, validation, rollback) for the priced strategies.",
        Schema(Selection, Stated), input => SavingsEstimate.Run(input.Baseline, input.Catalog, input.Goals).Data.Strategies,
        PlanBuilder.Run, a => new { strategies = a.Select(s => s.Id) });

    public static readonly IReadOnlyList<ToolDefinition> All = [Usage, Costs, Latency, Cache, Prices, Savings, Growth, Plan];

    public static ToolDefinition? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
