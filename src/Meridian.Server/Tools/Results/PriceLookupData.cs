namespace Meridian.Server.Tools;

public sealed record PriceLookupData(string CatalogDate, IReadOnlyList<PriceQuote> Models, IReadOnlyList<string> Unknown, IReadOnlyList<PriceQuote> CheaperAlternatives);
