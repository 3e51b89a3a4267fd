using System.Text.Json;
using Meridian.Server.Http;
using Meridian.Server.Pricing;
using Meridian.Server.Workloads;

namespace Meridian.Server.Tools;

/// <summary>What a tool call gets: the caller's own records, the price catalog and the call's JSON arguments.</summary>
public sealed record ToolInput(IReadOnlyList<UsageRecord> Records, PriceCatalog Catalog, JsonElement Arguments)
{
    public int? WholeNumber(string name) => JsonFields.WholeNumber(Arguments, name);

    public double? Number(string name) => JsonFields.Number(Arguments, name);

    public string? Text(string name) => JsonFields.Text(Arguments, name);

    public IReadOnlyList<string> Texts(string name) => JsonFields.Texts(Arguments, name);

    public IReadOnlyList<UsageRecord> Selected => UsageQuery.Select(Records, new UsageFilter(WholeNumber("last_days"), Text("model"), Text("feature")));

    /// <summary>The measured baseline when there are records, otherwise one from the stated arguments.</summary>
    public Baseline Baseline => Selected is { Count: > 0 } records
        ? BaselineBuilder.Measure(records, Catalog)
        : BaselineBuilder.Estimated(Catalog, (decimal)(Number("monthly_cost_usd") ?? 0), Texts("models"), Number("monthly_calls") ?? 0, Number("p95_latency_ms") ?? 0);

    public Goals Goals => new(null, Number("target_p95_ms"), Number("growth_multiplier"), WholeNumber("horizon_months") ?? 3);
}
