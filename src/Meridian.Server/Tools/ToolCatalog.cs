using System.Text.Json;
using System.Text.Json.Nodes;
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

/// <summary>A tool as other agents see it (over MCP): name, what it does, its JSON Schema, and how to call it.</summary>
public sealed record ToolDefinition(string Name, string Description, JsonObject InputSchema, Func<ToolInput, (string Summary, object Data)> Invoke);

/// <summary>Every tool of docs/agents.md with a JSON interface. Selection arguments (<c>last_days</c>, <c>model</c>,
/// <c>feature</c>) narrow the caller's records; pricing tools fall back to stated figures when there are none.</summary>
public static class ToolCatalog
{
    private static readonly JsonObject Selection = new()
    {
        ["last_days"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["description"] = "only the last N days before the newest record" },
        ["model"] = new JsonObject { ["type"] = "string", ["description"] = "only this model" },
        ["feature"] = new JsonObject { ["type"] = "string", ["description"] = "only this product feature" },
    };

    private static readonly JsonObject Stated = new()
    {
        ["monthly_cost_usd"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["description"] = "stated monthly spend, used when there are no records" },
        ["models"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "models in use, when there are no records" },
        ["p95_latency_ms"] = new JsonObject { ["type"] = "number", ["minimum"] = 0 },
        ["target_p95_ms"] = new JsonObject { ["type"] = "number", ["minimum"] = 0 },
    };

    public static readonly IReadOnlyList<ToolDefinition> All =
    [
        new(UsageQuery.Name, "Volume, spend, monthly run-rate, tokens, error rate and month-over-month trend of the caller's usage records.",
            Schema(Selection), input => Pack(UsageQuery.Run(input.Selected, UsageFilter.All))),
        new(CostBreakdown.Name, "Spend, tokens, p95 latency and error rate by model and by product feature.",
            Schema(Selection), input => Pack(CostBreakdown.Run(input.Selected))),
        new(LatencyProfile.Name, "Latency p50/p95/p99 overall and per model, error rate, and calls by hour of day (UTC).",
            Schema(Selection), input => Pack(LatencyProfile.Run(input.Selected))),
        new(CacheOpportunity.Name, "Share of calls repeating a prompt already sent, and the monthly saving of prompt caching.",
            Schema(Selection), input => Pack(CacheOpportunity.Run(input.Selected, input.Catalog))),
        new(PriceLookup.Name, "Catalog prices of the named models (default: the models in the records) and a cheaper model one tier down for each.",
            Schema(new JsonObject { ["models"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } }),
            input => Pack(PriceLookup.Run(input.Catalog, input.Texts("models") is { Count: > 0 } named ? named : input.Records.Select(r => r.Model).Distinct().ToList()))),
        new(SavingsEstimate.Name, "Savings of each strategy (routing, caching, batch, output caps, prompt trimming, latency, capacity) from the records, or from stated figures when there are none.",
            Schema(Merge(Selection, Stated)), input => Pack(SavingsEstimate.Run(input.Baseline, input.Catalog, input.Goals))),
        new(GrowthProjection.Name, "Monthly bill over a horizon, growing to a multiplier (or at the measured trend), with and without the combined savings.",
            Schema(Merge(Merge(Selection, Stated), new JsonObject { ["growth_multiplier"] = new JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0 }, ["horizon_months"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 24 } })),
            input =>
            {
                var baseline = input.Baseline;
                var savings = SavingsEstimate.Run(baseline, input.Catalog, input.Goals).Data;
                return Pack(GrowthProjection.Run(baseline, input.Goals, savings.CombinedSavingsPct));
            }),
        new(PlanBuilder.Name, "An ordered implementation plan (owner, effort, config changes, validation, rollback) for the priced strategies.",
            Schema(Merge(Selection, Stated)), input => Pack(PlanBuilder.Run(SavingsEstimate.Run(input.Baseline, input.Catalog, input.Goals).Data.Strategies))),
    ];

    public static ToolDefinition? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static (string, object) Pack<T>(ToolResult<T> result) => (result.Summary, result.Data!);

    private static JsonObject Schema(JsonObject properties) => new()
    {
        ["type"] = "object",
        ["properties"] = properties.DeepClone(),
        ["additionalProperties"] = false,
    };

    private static JsonObject Merge(JsonObject a, JsonObject b)
    {
        var merged = (JsonObject)a.DeepClone();
        foreach (var (key, value) in b)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }
}
