namespace Meridian.Server.Pricing;

/// <summary>A price list read from <c>Pricing:Source</c>: where from, its date (docs/workloads.md#3-the-price-catalog),
/// and its models.</summary>
public sealed record PriceList(string Source, DateOnly AsOf, IReadOnlyList<ListedPrice> Prices);
