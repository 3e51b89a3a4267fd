namespace Meridian.Server.Tools;

/// <summary>The <c>price_lookup</c> result; <see cref="CatalogSource"/> names where the catalog's prices came from
/// (docs/workloads.md#3-the-price-catalog).</summary>
public sealed record PriceLookupData(
    string CatalogDate, IReadOnlyList<PriceQuote> Models, IReadOnlyList<string> Unknown, IReadOnlyList<PriceQuote> CheaperAlternatives, string CatalogSource = "");
