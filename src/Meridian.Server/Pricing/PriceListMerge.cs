namespace Meridian.Server.Pricing;

/// <summary>Combines the curated catalog with a loaded price list (docs/workloads.md#3-the-price-catalog): the list
/// updates the prices of the curated models it names (tier, latency, batch discount and aliases stay curated), and its
/// other models are added for costing only, never recommended. A costing-only model that is a variant or a hosted copy
/// of a curated one ("gpt-4o-2024-05-13", "azure/gpt-4o") takes that model's tier, latency and batch discount, so the
/// tools still weigh it; any other has tier 0, which the tools read as "not rated".</summary>
public static class PriceListMerge
{
    // The list names some providers differently from the curated catalog.
    private static readonly Dictionary<string, string> ListProviderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["google"] = "gemini",
        ["together"] = "together_ai",
    };

    public static PriceCatalog Merge(PriceCatalog curated, PriceList list)
    {
        var byName = new Dictionary<string, ListedPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var price in list.Prices)
        {
            byName.TryAdd(price.Name, price);
        }

        var used = new HashSet<ListedPrice>();
        var models = curated.Models.Select(model =>
        {
            if (Listed(model, byName) is not { } listed)
            {
                return model;
            }

            used.Add(listed);
            return model with
            {
                InputPerMillion = listed.InputPerMillion,
                OutputPerMillion = listed.OutputPerMillion,
                CachedInputPerMillion = listed.CachedInputPerMillion,
            };
        }).ToList();

        var costingOnly = list.Prices
            .Where(p => !used.Contains(p) && curated.FindExact(p.Name) is null && byName[p.Name] == p)
            .Select(p => CostingOnly(p, curated.Find(p.Name)))
            .ToList();
        return new PriceCatalog(list.AsOf, models, costingOnly) { Source = list.Source };
    }

    /// <summary>The list's entry for a curated model: under its name or an alias, bare or with its provider's prefix.</summary>
    private static ListedPrice? Listed(ModelPrice model, Dictionary<string, ListedPrice> byName)
    {
        var names = (model.Aliases ?? []).Prepend(model.Model).ToList();
        var prefixes = new[] { model.Provider, ListProviderNames.GetValueOrDefault(model.Provider, model.Provider) };
        return names.Select(n => byName.GetValueOrDefault(n)).FirstOrDefault(p => p is not null)
            ?? names.SelectMany(n => prefixes.Select(p => byName.GetValueOrDefault($"{p}/{n}"))).FirstOrDefault(p => p is not null);
    }

    private static ModelPrice CostingOnly(ListedPrice price, ModelPrice? curated) => new(
        price.Name, price.Provider, price.InputPerMillion, price.OutputPerMillion, price.CachedInputPerMillion,
        curated?.BatchDiscount ?? 0, curated?.QualityTier ?? 0, curated?.TypicalLatencyMs ?? 0);
}
