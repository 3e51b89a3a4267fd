using Meridian.Server.Pricing;

namespace Meridian.Server.Tools;

/// <summary><c>savings_estimate</c>: what each strategy saves, computed from the baseline and catalog prices. Every
/// strategy's saving is a fraction of current spend; dollars are that fraction of the monthly cost when it is known.
/// Combined savings compound (each strategy acts on what the previous ones left), so they never exceed 100%.</summary>
public static class SavingsEstimate
{
    public const string Name = "savings_estimate";

    /// <summary>The share of a model's calls that can move to a cheaper model without a visible quality change.
    /// Conservative: routing is applied to short, classification-like and internal traffic.</summary>
    public const double RoutableShare = 0.4;

    /// <summary>Input tokens a prompt review typically removes (duplicated instructions, unused context).</summary>
    public const double TrimmableInputShare = 0.1;

    /// <summary>Output tokens a max-tokens cap and a "be brief" instruction typically remove.</summary>
    public const double CappableOutputShare = 0.15;

    public static ToolResult<SavingsData> Run(Baseline baseline, PriceCatalog catalog, Goals goals)
    {
        var strategies = new List<Strategy>();
        var assumptions = new List<string>(baseline.Assumptions);
        var p95After = baseline.P95LatencyMs;
        foreach (var use in baseline.Models.Where(m => m.CostShare >= 0.05).OrderByDescending(m => m.CostShare).Take(3))
        {
            if (catalog.Find(use.Model) is not { } price || PriceLookup.CheaperThan(catalog, price, notSlower: goals.TargetP95Ms is not null) is not { } cheaper)
            {
                continue;
            }

            var ratio = CostRatio(price, cheaper, use.InputCostShare);
            var pct = use.CostShare * RoutableShare * (1 - ratio);
            var latency = cheaper.TypicalLatencyMs == price.TypicalLatencyMs || cheaper.TypicalLatencyMs <= 0 || price.TypicalLatencyMs <= 0
                ? "about the same"
                : $"{(cheaper.TypicalLatencyMs < price.TypicalLatencyMs ? "faster" : "slower")} on routed calls ({Figures.Ms(cheaper.TypicalLatencyMs)} typical instead of {Figures.Ms(price.TypicalLatencyMs)})";
            strategies.Add(Make(baseline, $"route_{Slug(price.Model)}", $"Route low-risk {price.Model} traffic to {cheaper.Model}", "model_routing", pct,
                latency, "medium", "medium", $"switch the router's default back to {price.Model}",
                $"{Figures.Pct(RoutableShare)} of {price.Model} calls at {Figures.Pct(1 - ratio)} lower cost per call"));
        }

        // Measured record by record when there were prompt hashes (and the dollars are kept as measured, so the
        // report quotes cache_opportunity's figure); otherwise from the shares.
        var measuredCache = baseline.MonthlyCostUsd > 0 ? baseline.MeasuredCacheSavingsUsd : null;
        var cachePct = measuredCache is { } measured
            ? (double)(measured / baseline.MonthlyCostUsd)
            : baseline.Models.Sum(m => m.CostShare * m.InputCostShare * baseline.RepeatedInputShare * CachedDiscount(catalog, m.Model));
        if (cachePct > 0)
        {
            var caching = Make(baseline, "prompt_caching", "Cache repeated prompts (provider prompt caching)", "caching", cachePct,
                "lower time to first token on cache hits", "low", "low", "turn caching off; nothing else changes",
                $"{Figures.Pct(baseline.RepeatedInputShare)} of input tokens repeat and are billed at the cached-input price");
            strategies.Add(caching with { MonthlySavingsUsd = measuredCache ?? caching.MonthlySavingsUsd });
        }

        var offline = baseline.Features.Where(f => f.Offline).ToList();
        var batchPct = offline.Sum(f => f.CostShare) * AverageBatchDiscount(catalog, baseline);
        if (batchPct > 0)
        {
            strategies.Add(Make(baseline, "batch_api", $"Send {string.Join(", ", offline.Select(f => f.Feature))} through the batch API", "batch", batchPct,
                "results within hours instead of seconds (only for work nobody waits on)", "low", "medium", "send the jobs synchronously again",
                $"{Figures.Pct(offline.Sum(f => f.CostShare))} of spend is offline work, billed at the batch discount"));
        }

        var outputShare = baseline.Models.Sum(m => m.CostShare * (1 - m.InputCostShare));
        strategies.Add(Make(baseline, "output_cap", "Cap output length (max_tokens and a brevity instruction)", "output_cap", outputShare * CappableOutputShare,
            "shorter generations finish sooner", "low", "low", "raise the cap",
            $"{Figures.Pct(CappableOutputShare)} fewer output tokens on {Figures.Pct(outputShare)} of spend"));
        var inputShare = baseline.Models.Sum(m => m.CostShare * m.InputCostShare);
        strategies.Add(Make(baseline, "prompt_trimming", "Trim prompts (duplicated instructions, unused context)", "prompt_trimming", inputShare * TrimmableInputShare,
            "slightly faster", "low", "low", "restore the previous prompt version",
            $"{Figures.Pct(TrimmableInputShare)} fewer input tokens on {Figures.Pct(inputShare)} of spend"));

        if (goals.TargetP95Ms is { } target && baseline.P95LatencyMs > target || baseline.P95LatencyMs > 2000)
        {
            p95After = FasterP95(baseline, catalog);
            strategies.Add(new Strategy("streaming_parallelism", "Stream responses and run independent calls in parallel", "latency", 0, 0,
                p95After < baseline.P95LatencyMs
                    ? $"p95 from {Figures.Ms(baseline.P95LatencyMs)} to about {Figures.Ms(p95After)} with the faster model on latency-critical calls; users see the first words at once"
                    : "users see the first words at once; total time unchanged",
                "low", "medium", "turn streaming off in the client", "latency, not cost"));
        }

        if (goals.GrowthMultiplier is > 1 || baseline.MonthlyGrowth > 0.05)
        {
            strategies.Add(new Strategy("capacity_headroom", "Reserve capacity headroom before the growth arrives", "capacity", 0, 0,
                "keeps p95 steady under the higher load", "low", "medium", "release the reservation",
                "raise provider rate limits and spread load across two models before traffic grows"));
        }

        var ranked = strategies.OrderByDescending(s => s.SavingsPct).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var combined = Figures.Round(1 - ranked.Aggregate(1.0, (left, s) => left * (1 - s.SavingsPct)));
        var combinedUsd = Figures.Round(baseline.MonthlyCostUsd * (decimal)combined);
        var data = new SavingsData(baseline.MonthlyCostUsd, ranked, combined, combinedUsd, baseline.MonthlyCostUsd - combinedUsd,
            baseline.P95LatencyMs, p95After, assumptions);
        var saving = ranked.Where(s => s.SavingsPct > 0).Select(s => $"{s.Name} ({Saving(s)})").ToList();
        var headline = baseline.MonthlyCostUsd > 0
            ? $"Together they save {Figures.Pct(combined)}, {Figures.Usd(combinedUsd)} of {Figures.Usd(baseline.MonthlyCostUsd)} a month, leaving {Figures.Usd(data.MonthlyCostAfterUsd)} ({Figures.Pct(1 - combined)})"
            : $"Together they save {Figures.Pct(combined)} of spend, leaving {Figures.Pct(1 - combined)} of it";
        var largest = saving.Count > 0 ? $" Largest first: {string.Join("; ", saving)}." : "";
        return new($"{ranked.Count} strategies. {headline}.{largest}", data);
    }

    /// <summary>How a strategy's saving is written everywhere: dollars when the spend is known, the share always.</summary>
    public static string Saving(Strategy s) =>
        s.MonthlySavingsUsd > 0 ? $"{Figures.Usd(s.MonthlySavingsUsd)}/month, {Figures.Pct(s.SavingsPct)}" : Figures.Pct(s.SavingsPct) + " of spend";

    /// <summary>Cost of the same tokens on <paramref name="to"/> relative to <paramref name="from"/>.</summary>
    public static double CostRatio(ModelPrice from, ModelPrice to, double inputCostShare)
    {
        var input = from.InputPerMillion == 0 ? 0 : (double)(to.InputPerMillion / from.InputPerMillion);
        var output = from.OutputPerMillion == 0 ? 0 : (double)(to.OutputPerMillion / from.OutputPerMillion);
        return inputCostShare * input + (1 - inputCostShare) * output;
    }

    private static Strategy Make(Baseline baseline, string id, string name, string type, double pct, string latency, string risk, string complexity, string rollback, string basis)
    {
        pct = Figures.Round(pct);
        return new Strategy(id, name, type, Figures.Round(baseline.MonthlyCostUsd * (decimal)pct), pct, latency, risk, complexity, rollback, basis);
    }

    private static double CachedDiscount(PriceCatalog catalog, string model) =>
        catalog.Find(model) is { InputPerMillion: > 0, CachedInputPerMillion: > 0 } p ? (double)(1 - p.CachedInputPerMillion / p.InputPerMillion) : 0;

    private static double AverageBatchDiscount(PriceCatalog catalog, Baseline baseline)
    {
        var discounts = baseline.Models.Select(m => catalog.Find(m.Model)?.BatchDiscount ?? 0m).Where(d => d > 0).ToList();
        return discounts.Count == 0 ? 0 : (double)discounts.Average();
    }

    /// <summary>p95 when the latency-critical calls move to the fastest model one tier down (or the same tier). A typical
    /// latency of 0 is one the catalog does not know.</summary>
    private static double FasterP95(Baseline baseline, PriceCatalog catalog)
    {
        var main = baseline.Models.OrderByDescending(m => m.CostShare).Select(m => catalog.Find(m.Model)).FirstOrDefault();
        if (main is null || main.TypicalLatencyMs <= 0 || baseline.P95LatencyMs <= 0)
        {
            return baseline.P95LatencyMs;
        }

        // Same provider first: the same API and contract, so the switch is a configuration change.
        var candidates = catalog.Models.Where(m => m.QualityTier <= main.QualityTier + 1 && m.TypicalLatencyMs > 0).ToList();
        var fastest = candidates.Where(m => m.Provider == main.Provider).MinBy(m => m.TypicalLatencyMs) ?? candidates.MinBy(m => m.TypicalLatencyMs)!;
        return Math.Round(baseline.P95LatencyMs * Math.Min(1, (double)fastest.TypicalLatencyMs / main.TypicalLatencyMs));
    }

    private static string Slug(string model) => new([.. model.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '_')]);
}
