namespace Meridian.Server.Pricing;

/// <summary>A model's list prices (USD per million tokens) and the facts the optimizer weighs.
/// <see cref="QualityTier"/>: 1 = frontier, 2 = strong general-purpose, 3 = small and fast.</summary>
public sealed record ModelPrice(
    string Model,
    string Provider,
    decimal InputPerMillion,
    decimal OutputPerMillion,
    decimal CachedInputPerMillion,
    decimal BatchDiscount,
    int QualityTier,
    int TypicalLatencyMs,
    IReadOnlyList<string>? Aliases = null)
{
    /// <summary>The list price of the tokens; <paramref name="cachedInputTokens"/>, part of the input, at the cached-input
    /// price where the model has one.</summary>
    public decimal Cost(long inputTokens, long outputTokens, long cachedInputTokens = 0) =>
        ((inputTokens - cachedInputTokens) * InputPerMillion
         + cachedInputTokens * (CachedInputPerMillion > 0 ? CachedInputPerMillion : InputPerMillion)
         + outputTokens * OutputPerMillion) / 1_000_000m;
}
