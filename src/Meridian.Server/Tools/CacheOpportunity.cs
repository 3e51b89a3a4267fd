using System.Runtime.InteropServices;
using Meridian.Server.Pricing;
using Meridian.Server.Workloads;

namespace Meridian.Server.Tools;

/// <summary><c>cache_opportunity</c>: how much traffic repeats a prompt already sent (equal <c>prompt_hash</c>), and
/// what prompt caching would save by billing those input tokens at the model's cached-input price. A record of several
/// calls with one hash is that many calls of the same prompt: all but the first of them repeat it. Input tokens the
/// provider already served from its cache are no opportunity left.</summary>
public static class CacheOpportunity
{
    public const string Name = "cache_opportunity";

    public static ToolResult<CacheOpportunityData> Run(IReadOnlyList<UsageRecord> records, PriceCatalog catalog)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Repeated input tokens by model, priced once per model at the end rather than once per record.
        var repeatedByModel = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        long hashed = 0, repeated = 0, repeatedInput = 0;
        decimal repeatedCost = 0;
        var from = DateTimeOffset.MaxValue;
        var to = DateTimeOffset.MinValue;
        foreach (var r in records)
        {
            from = r.Timestamp < from ? r.Timestamp : from;
            to = r.Timestamp > to ? r.Timestamp : to;
            if (string.IsNullOrEmpty(r.PromptHash))
            {
                continue;
            }

            hashed += r.Requests;
            var repeats = seen.Add(r.PromptHash) ? r.Requests - 1 : r.Requests;
            if (repeats > 0)
            {
                var (uncached, cost) = repeats == r.Requests ? (r.UncachedInputTokens, r.CostUsd) : PartOf(r, repeats);
                repeated += repeats;
                repeatedInput += uncached;
                repeatedCost += cost;
                CollectionsMarshal.GetValueRefOrAddDefault(repeatedByModel, r.Model, out _) += uncached;
            }
        }

        decimal saving = 0;
        foreach (var (model, tokens) in repeatedByModel)
        {
            if (catalog.Find(model) is { CachedInputPerMillion: > 0 } price)
            {
                saving += tokens * (price.InputPerMillion - price.CachedInputPerMillion) / 1_000_000m;
            }
        }

        if (hashed == 0)
        {
            return new(
                "No record carries a prompt_hash, so repeated prompts cannot be measured.",
                new CacheOpportunityData(0, 0, 0, 0, 0, 0));
        }

        var monthFactor = (decimal)(UsageQuery.MonthDays / UsageQuery.SpanDays(from, to));
        var data = new CacheOpportunityData(
            hashed, repeated, Figures.Round((double)repeated / hashed), repeatedInput,
            Figures.Round(saving * monthFactor), Figures.Round(repeatedCost * monthFactor));
        return new(
            $"{Figures.Pct(data.RepeatedShare)} of calls ({Figures.Count(repeated)} of {Figures.Count(hashed)}) repeat a prompt already sent, " +
            $"{Figures.Count(repeatedInput)} input tokens in all. Prompt caching would save {Figures.Usd(data.MonthlyPromptCacheSavingsUsd)} a month; " +
            $"those calls cost {Figures.Usd(data.MonthlyRepeatedCallCostUsd)} a month, the most a response cache could save.",
            data);
    }

    /// <summary>The repeated calls' part of a record's input tokens and cost: the record holds totals over its calls.</summary>
    private static (long UncachedInput, decimal Cost) PartOf(UsageRecord r, long repeats)
    {
        var share = (decimal)repeats / r.Requests;
        return ((long)Math.Round(r.UncachedInputTokens * share), r.CostUsd * share);
    }
}
