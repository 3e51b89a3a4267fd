using Meridian.Server.Pricing;

namespace Meridian.Server.Tools;

/// <summary><c>price_lookup</c>: catalog prices of the named models, and the cheapest model one quality tier below
/// each (the candidates for routing low-risk traffic).</summary>
public static class PriceLookup
{
    public const string Name = "price_lookup";

    public static ToolResult<PriceLookupData> Run(PriceCatalog catalog, IEnumerable<string> models)
    {
        var found = new List<ModelPrice>();
        var unknown = new List<string>();
        foreach (var name in models.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (catalog.Find(name) is { } price)
            {
                if (!found.Contains(price))
                {
                    found.Add(price);
                }
            }
            else
            {
                unknown.Add(name);
            }
        }

        var cheaper = found.Select(p => CheaperThan(catalog, p)).OfType<ModelPrice>().Distinct().ToList();
        var quotes = found.Select(PriceQuote.Of).ToList();
        var summary = quotes.Count == 0
            ? "None of the named models is in the price catalog."
            : string.Join(" ", quotes.Select(q => $"{q.Model} ({q.Provider}) costs ${q.InputPerMillion}/M input and ${q.OutputPerMillion}/M output tokens" +
                (q.CachedInputPerMillion > 0 ? $", ${q.CachedInputPerMillion}/M cached input" : "") + "."));
        if (cheaper.Count > 0)
        {
            summary += " Cheaper tier-down alternatives: " + string.Join(", ", cheaper.Select(c => $"{c.Model} (${c.InputPerMillion}/${c.OutputPerMillion})")) + ".";
        }

        if (unknown.Count > 0)
        {
            summary += $" Not in the catalog: {string.Join(", ", unknown)}.";
        }

        return new(summary, new PriceLookupData(catalog.AsOf.ToString("yyyy-MM-dd"), quotes, unknown, cheaper.Select(PriceQuote.Of).ToList(), PricesInfo.Of(catalog).Source));
    }

    /// <summary>The cheapest model one quality tier down, preferring the same provider (no new vendor, same API);
    /// with <paramref name="notSlower"/>, one no slower than <paramref name="model"/> when there is such a model.</summary>
    public static ModelPrice? CheaperThan(PriceCatalog catalog, ModelPrice model, bool notSlower = false)
    {
        // Tier 0: a costing-only model of a loaded price list, unrated, so there is no "one tier down" of it.
        if (model.QualityTier < 1)
        {
            return null;
        }

        var candidates = catalog.Models.Where(m => m.QualityTier == model.QualityTier + 1 && Blended(m) < Blended(model)).ToList();
        if (notSlower && candidates.Any(m => m.TypicalLatencyMs <= model.TypicalLatencyMs))
        {
            candidates = candidates.Where(m => m.TypicalLatencyMs <= model.TypicalLatencyMs).ToList();
        }

        return candidates.Where(m => m.Provider == model.Provider).MinBy(Blended) ?? candidates.MinBy(Blended);
    }

    /// <summary>Price of a typical call mix (3 input tokens per output token), for ranking models.</summary>
    public static decimal Blended(ModelPrice m) => (3 * m.InputPerMillion + m.OutputPerMillion) / 4;
}
