using System.Text.RegularExpressions;
using Meridian.Server.Pricing;
using Meridian.Server.Workloads;

namespace Meridian.Server.Tools;

/// <summary>Turns measurements, or failing those the user's own statements, into the baseline the optimizer prices.
/// Every figure not measured is listed as an assumption, so the report can say what it rests on.</summary>
public static partial class BaselineBuilder
{
    /// <summary>Input tokens per output token assumed when only a spend is known (typical of chat and RAG traffic).</summary>
    public const double AssumedInputPerOutput = 3;

    /// <summary>Share of input tokens assumed to repeat when caching is the question (a fixed system prompt and tools
    /// block), and otherwise (a shared system prompt).</summary>
    public const double AssumedRepeatedShareWhenAsked = 0.5;

    public const double AssumedRepeatedShare = 0.2;

    public static Baseline Measured(UsageOverview usage, CostBreakdownData costs, LatencyProfileData latency, CacheOpportunityData cache, PriceCatalog catalog)
    {
        var models = costs.ByModel.Select(m => new ModelUse(m.Name, m.Share, InputCostShare(catalog.Find(m.Name), m.InputTokens, m.OutputTokens), m.P95LatencyMs)).ToList();
        var features = costs.ByFeature.Select(f => new FeatureUse(f.Name, f.Share, Offline().IsMatch(f.Name))).ToList();
        var repeated = usage.InputTokens == 0 ? 0 : Figures.Round((double)cache.RepeatedInputTokens / usage.InputTokens);
        var assumptions = new List<string> { $"Monthly figures are run-rates over the {usage.Days:0.#} days the records cover, in 30-day months." };
        if (cache.CallsWithHash == 0)
        {
            assumptions.Add("No record has a prompt_hash, so repeated prompts could not be measured and caching is not priced.");
        }

        var unknown = costs.ByModel.Where(m => catalog.Find(m.Name) is null).Select(m => m.Name).ToList();
        if (unknown.Count > 0)
        {
            assumptions.Add($"Not in the price catalog, so not repriced: {string.Join(", ", unknown)}.");
        }

        return new Baseline(true, usage.MonthlyCostUsd, usage.MonthlyCalls, models, features, repeated, latency.Overall.P95Ms, usage.MonthlyGrowth ?? 0, assumptions,
            cache.CallsWithHash > 0 ? cache.MonthlyPromptCacheSavingsUsd : null);
    }

    /// <summary>Measures records with the usage, cost, latency and cache tools (for callers that need no events).</summary>
    public static Baseline Measure(IReadOnlyList<UsageRecord> records, PriceCatalog catalog) =>
        Measured(UsageQuery.Run(records, UsageFilter.All).Data, CostBreakdown.Run(records).Data, LatencyProfile.Run(records).Data, CacheOpportunity.Run(records, catalog).Data, catalog);

    /// <summary>A baseline from stated figures: a monthly spend (0 when unknown), the models named, a current p95,
    /// whether the question is about caching and whether the work is offline.</summary>
    public static Baseline Estimated(PriceCatalog catalog, decimal monthlySpend, IReadOnlyList<string> models, double monthlyCalls = 0, double p95Ms = 0, bool cachingAsked = false, bool offline = false)
    {
        var assumptions = new List<string>();
        var model = models.Select(name => Resolve(catalog, name)).OfType<ModelPrice>().FirstOrDefault();
        if (model is null)
        {
            model = catalog.Models.First(m => m.QualityTier == 1);
            assumptions.Add(models.Count == 0
                ? $"No model was named: prices assume {model.Model}, a common frontier model."
                : $"{string.Join(", ", models)} is not in the price catalog: prices assume {model.Model}.");
        }
        else if (!models.Contains(model.Model, StringComparer.OrdinalIgnoreCase))
        {
            assumptions.Add($"{models[0]} is priced as {model.Model}, the catalog's closest model.");
        }

        var monthly = Math.Round(monthlySpend);
        assumptions.Add(monthly > 0 ? $"All stated spend ({Figures.Usd(monthly)} a month) is on {model.Model}." : "No spend was stated: savings are shares of spend.");
        assumptions.Add($"Calls send {AssumedInputPerOutput:0} input tokens per output token.");
        var repeated = cachingAsked ? AssumedRepeatedShareWhenAsked : AssumedRepeatedShare;
        assumptions.Add($"{Figures.Pct(repeated)} of input tokens repeat across calls (a shared system prompt).");
        if (offline)
        {
            assumptions.Add("The work described is offline (nobody waits for each answer), so it can use a batch API.");
        }

        var share = InputCostShare(model, (long)(AssumedInputPerOutput * 1000), 1000);
        return new Baseline(false, monthly, monthlyCalls, [new ModelUse(model.Model, 1, share, p95Ms)],
            offline ? [new FeatureUse("offline work", 1, true)] : [], repeated, p95Ms, 0, assumptions);
    }

    /// <summary>Whether a feature name or a request describes work nobody waits on.</summary>
    public static bool IsOffline(string text) => Offline().IsMatch(text);

    /// <summary>A stated model in the catalog: by name or alias, else the costliest catalog model of that family
    /// ("gpt-4" → the GPT-4-class model), since people name families, not versions.</summary>
    public static ModelPrice? Resolve(PriceCatalog catalog, string name) =>
        catalog.Find(name) ?? catalog.Models
            .Where(m => m.Model.StartsWith(name, StringComparison.OrdinalIgnoreCase) || name.Split('-').All(part => m.Model.Contains(part, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(m => m.QualityTier).ThenByDescending(PriceLookup.Blended).FirstOrDefault();

    private static double InputCostShare(ModelPrice? price, long input, long output)
    {
        if (price is null)
        {
            return 0.5;
        }

        var inputCost = input * price.InputPerMillion;
        var total = inputCost + output * price.OutputPerMillion;
        return total == 0 ? 0.5 : Figures.Round((double)(inputCost / total));
    }

    [GeneratedRegex(@"batch|nightly|offline|backfill|etl|digest|report|overnight", RegexOptions.IgnoreCase)]
    private static partial Regex Offline();
}
