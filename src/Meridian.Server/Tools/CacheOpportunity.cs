using Meridian.Server.Pricing;
using Meridian.Server.Workloads;

namespace Meridian.Server.Tools;

/// <summary><c>cache_opportunity</c>: how much traffic repeats a prompt already sent (equal <c>prompt_hash</c>), and
/// what prompt caching would save by billing those input tokens at the model's cached-input price.</summary>
public static class CacheOpportunity
{
    public const string Name = "cache_opportunity";

    public static ToolResult<CacheOpportunityData> Run(IReadOnlyList<UsageRecord> records, PriceCatalog catalog)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long hashed = 0, repeated = 0, repeatedInput = 0;
        decimal saving = 0, repeatedCost = 0;
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

            hashed++;
            if (!seen.Add(r.PromptHash))
            {
                repeated++;
                repeatedInput += r.InputTokens;
                repeatedCost += r.CostUsd;
                if (catalog.Find(r.Model) is { CachedInputPerMillion: > 0 } price)
                {
                    saving += r.InputTokens * (price.InputPerMillion - price.CachedInputPerMillion) / 1_000_000m;
                }
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
}
