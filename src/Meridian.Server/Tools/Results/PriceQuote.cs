using Meridian.Server.Pricing;

namespace Meridian.Server.Tools;

public sealed record PriceQuote(
    string Model, string Provider, decimal InputPerMillion, decimal OutputPerMillion, decimal CachedInputPerMillion,
    decimal BatchDiscount, int QualityTier, int TypicalLatencyMs)
{
    public static PriceQuote Of(ModelPrice p) =>
        new(p.Model, p.Provider, p.InputPerMillion, p.OutputPerMillion, p.CachedInputPerMillion, p.BatchDiscount, p.QualityTier, p.TypicalLatencyMs);
}
