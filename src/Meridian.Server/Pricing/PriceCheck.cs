namespace Meridian.Server.Pricing;

/// <summary>The answer of <c>POST /api/prices/check</c>: what a price list would change in the catalog in use
/// (docs/workloads.md#3-the-price-catalog). Models are compared by name, curated and costing-only alike.</summary>
public sealed record PriceCheck(
    PricesInfo InUse, PricesInfo Candidate, IReadOnlyList<PriceFigures> Added, IReadOnlyList<PriceFigures> Removed, IReadOnlyList<PriceChange> Changed)
{
    public int Changes => Added.Count + Removed.Count + Changed.Count;

    public static PriceCheck Compare(PriceCatalog inUse, PriceCatalog candidate)
    {
        var old = Figures(inUse);
        var next = Figures(candidate);
        return new PriceCheck(
            PricesInfo.Of(inUse),
            PricesInfo.Of(candidate),
            [.. next.Values.Where(p => !old.ContainsKey(p.Model)).OrderBy(p => p.Model, StringComparer.OrdinalIgnoreCase)],
            [.. old.Values.Where(p => !next.ContainsKey(p.Model)).OrderBy(p => p.Model, StringComparer.OrdinalIgnoreCase)],
            [.. old.Values
                .Where(p => next.TryGetValue(p.Model, out var n) && !p.SamePrices(n))
                .OrderBy(p => p.Model, StringComparer.OrdinalIgnoreCase)
                .Select(p => new PriceChange(p.Model, p, next[p.Model]))]);
    }

    private static Dictionary<string, PriceFigures> Figures(PriceCatalog catalog)
    {
        var figures = new Dictionary<string, PriceFigures>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in catalog.Models.Concat(catalog.CostingOnly))
        {
            figures.TryAdd(model.Model, PriceFigures.Of(model));
        }

        return figures;
    }
}
