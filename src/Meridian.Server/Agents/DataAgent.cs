using Meridian.Server.Pricing;
using Meridian.Server.Runs;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;

namespace Meridian.Server.Agents;

/// <summary>Data: measures the user's records with the usage, cost, latency and cache tools; with no records,
/// estimates from the figures the request states (and says so).</summary>
public sealed class DataAgent(UsageStore usageStore, PriceCatalog catalog)
{
    public async Task<StageResult<DataFindings>> RunAsync(PipelineContext context, Analysis analysis, CancellationToken ct)
    {
        const string agent = AgentCatalog.Data;
        analysis.Records = analysis.Triage.UsageRecords > 0 ? await usageStore.LoadAsync(context.Run.UserId, ct) : [];
        if (analysis.Records.Count == 0)
        {
            await context.Emitter.ThinkingAsync(agent, "No usage records: estimating from the figures in the request", ct);
            var estimate = analysis.EstimatedBaseline(catalog);
            var models = estimate.Models.Select(m => m.Model).ToList();
            var prices = await ToolCalls.RunAsync(context, agent, PriceLookup.Name, new { models }, () => PriceLookup.Run(catalog, models), ct);
            var stated = new List<string> { "Estimated from the request, not measured. " + string.Join(" ", estimate.Assumptions), prices.Summary };
            return new(new DataFindings(false, null, null, null, null, estimate, stated), "Estimated from the request (no usage records)");
        }

        var filter = analysis.Triage.Entities.TimeRanges.FirstOrDefault(r => !r.IsFuture) is { } range ? new UsageFilter(LastDays: range.Days) : UsageFilter.All;
        var records = UsageQuery.Select(analysis.Records, filter);
        await context.Emitter.ThinkingAsync(agent, $"Measuring {records.Count:#,##0} usage records", ct);
        var usage = await ToolCalls.RunAsync(context, agent, UsageQuery.Name, new { last_days = filter.LastDays }, () => UsageQuery.Run(records, UsageFilter.All), ct);
        var costs = await ToolCalls.RunAsync(context, agent, CostBreakdown.Name, new { group_by = "model, feature" }, () => CostBreakdown.Run(records), ct);
        var latency = await ToolCalls.RunAsync(context, agent, LatencyProfile.Name, new { }, () => LatencyProfile.Run(records), ct);
        var cache = await ToolCalls.RunAsync(context, agent, CacheOpportunity.Name, new { }, () => CacheOpportunity.Run(records, catalog), ct);
        var baseline = BaselineBuilder.Measured(usage.Data, costs.Data, latency.Data, cache.Data, catalog);
        return new(new DataFindings(true, usage.Data, costs.Data, latency.Data, cache.Data, baseline, [usage.Summary, costs.Summary, latency.Summary, cache.Summary]),
            $"{records.Count:#,##0} records, {Figures.Usd(usage.Data.MonthlyCostUsd)} a month");
    }
}
