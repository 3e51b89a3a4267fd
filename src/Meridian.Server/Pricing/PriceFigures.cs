namespace Meridian.Server.Pricing;

/// <summary>A model's prices as a price check compares them, USD per million tokens.</summary>
public sealed record PriceFigures(string Model, string Provider, decimal InputPerMillion, decimal OutputPerMillion, decimal CachedInputPerMillion)
{
    public static PriceFigures Of(ModelPrice m) => new(m.Model, m.Provider, m.InputPerMillion, m.OutputPerMillion, m.CachedInputPerMillion);

    public bool SamePrices(PriceFigures other) =>
        InputPerMillion == other.InputPerMillion && OutputPerMillion == other.OutputPerMillion && CachedInputPerMillion == other.CachedInputPerMillion;
}
