namespace Meridian.Server.Pricing;

/// <summary>A model priced by both catalogs, at different prices.</summary>
public sealed record PriceChange(string Model, PriceFigures Old, PriceFigures New);
