using System.Text.RegularExpressions;
using Meridian.Server.Agents.Triage;
using Meridian.Server.Pricing;
using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

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

        return new Baseline(true, usage.MonthlyCostUsd, usage.MonthlyCalls, models, features, repeated, latency.Overall.P95Ms, usage.MonthlyGrowth ?? 0, assumptions);
    }

    public static Baseline FromStatements(TriageResult triage, string request, PriceCatalog catalog)
    {
        var e = triage.Entities;
        var assumptions = new List<string>();
        var model = e.Models.Select(name => Resolve(catalog, name)).OfType<ModelPrice>().FirstOrDefault();
        if (model is null)
        {
            model = catalog.Models.First(m => m.QualityTier == 1);
            assumptions.Add(e.Models.Count == 0
                ? $"No model was named: prices assume {model.Model}, a common frontier model."
                : $"{string.Join(", ", e.Models)} is not in the price catalog: prices assume {model.Model}.");
        }
        else if (!e.Models.Contains(model.Model, StringComparer.OrdinalIgnoreCase))
        {
            assumptions.Add($"{e.Models[0]} is priced as {model.Model}, the catalog's closest model.");
        }

        var monthly = Math.Round(e.MonthlySpend ?? 0m);
        assumptions.Add(monthly > 0 ? $"All stated spend ({Figures.Usd(monthly)} a month) is on {model.Model}." : "No spend was stated: savings are shares of spend.");
        assumptions.Add($"Calls send {AssumedInputPerOutput:0} input tokens per output token.");
        var repeated = triage.Category == RequestClassifier.Caching ? AssumedRepeatedShareWhenAsked : AssumedRepeatedShare;
        assumptions.Add($"{Figures.Pct(repeated)} of input tokens repeat across calls (a shared system prompt).");
        var offline = Offline().IsMatch(request);
        if (offline)
        {
            assumptions.Add("The work described is offline (nobody waits for each answer), so it can use a batch API.");
        }

        var share = InputCostShare(model, (long)(AssumedInputPerOutput * 1000), 1000);
        var p95 = e.CurrentLatency?.Milliseconds ?? 0;
        return new Baseline(false, monthly, e.MonthlyCalls ?? 0, [new ModelUse(model.Model, 1, share, p95)],
            offline ? [new FeatureUse("offline work", 1, true)] : [], repeated, p95, 0, assumptions);
    }

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
