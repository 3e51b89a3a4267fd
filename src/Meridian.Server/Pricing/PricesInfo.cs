namespace Meridian.Server.Pricing;

/// <summary>Which catalog priced an answer: its source (<c>shipped</c>, a catalog file, or the price list's URL or
/// file), its date and how many models it prices (docs/workloads.md#3-the-price-catalog).</summary>
public sealed record PricesInfo(string Source, DateOnly AsOf, int Models)
{
    public const string Shipped = "shipped";

    public static PricesInfo Of(PriceCatalog catalog) =>
        new(catalog.Source == PriceCatalogLoader.ShippedPath ? Shipped : catalog.Source, catalog.AsOf, catalog.PricedCount);

    /// <summary>"the price catalog of 2025-11-25 (shipped)", for reports and tool summaries.</summary>
    public override string ToString() => $"the price catalog of {AsOf:yyyy-MM-dd} ({Source})";
}
