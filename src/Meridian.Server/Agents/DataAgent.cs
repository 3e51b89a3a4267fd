using Meridian.Server.Pricing;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;

namespace Meridian.Server.Agents;

/// <summary>Data: measures the user's records with the usage, cost, latency and cache tools; with no records,
/// estimates from the figures the request states (and says so).</summary>
public sealed class DataAgent(UsageStore usageStore, CurrentPrices prices) : IAgent
{
    public string Activity => "Measuring usage";

    public async Task<string> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var analysis = context.Analysis;
        var catalog = prices.Catalog;
        analysis.Records = analysis.Triage.UsageRecords > 0 ? await usageStore.LoadAsync(context.Run.UserId, cancellationToken) : [];
        if (analysis.Records.Count == 0)
        {
            return await EstimateAsync(context, catalog, cancellationToken);
        }

        // A look-back the user stated ("last 30 days") narrows every measurement.
        var filter = analysis.Triage.Entities.TimeRanges.FirstOrDefault(r => !r.IsFuture) is { } range ? new UsageFilter(LastDays: range.Days) : UsageFilter.All;
        var records = UsageQuery.Select(analysis.Records, filter);
        await context.ThinkingAsync($"Measuring {records.Count:#,##0} usage records", cancellationToken);
        var usage = await context.CallToolAsync(ToolCatalog.Usage, (analysis.Records, filter), cancellationToken);
        var costs = await context.CallToolAsync(ToolCatalog.Costs, records, cancellationToken);
        var latency = await context.CallToolAsync(ToolCatalog.Latency, records, cancellationToken);
        var cache = await context.CallToolAsync(ToolCatalog.Cache, (records, catalog), cancellationToken);
        var baseline = BaselineBuilder.Measured(usage.Data, costs.Data, latency.Data, cache.Data, catalog);
        analysis.Data = new DataFindings(true, usage.Data, costs.Data, latency.Data, cache.Data, baseline, [usage.Summary, costs.Summary, latency.Summary, cache.Summary]);
        return $"{records.Count:#,##0} records, {Figures.Usd(usage.Data.MonthlyCostUsd)} a month";
    }

    private static async Task<string> EstimateAsync(AgentContext context, PriceCatalog catalog, CancellationToken cancellationToken)
    {
        await context.ThinkingAsync("No usage records: estimating from the figures in the request", cancellationToken);
        var estimate = context.Analysis.EstimatedBaseline(catalog);
        var lookup = await context.CallToolAsync(ToolCatalog.Prices, (catalog, estimate.Models.Select(m => m.Model).ToList()), cancellationToken);
        var stated = new List<string> { "Estimated from the request, not measured. " + string.Join(" ", estimate.Assumptions), lookup.Summary };
        context.Analysis.Data = new DataFindings(false, null, null, null, null, estimate, stated);
        return "Estimated from the request (no usage records)";
    }
}
