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
    /// <summary>The list price of the tokens, <paramref name="cachedInputTokens"/> of the input read from the provider's
    /// prompt cache billed at <see cref="CachedInputPerMillion"/> (the input price where the model has none).</summary>
    public decimal Cost(long inputTokens, long outputTokens, long cachedInputTokens = 0)
    {
        var cached = Math.Clamp(cachedInputTokens, 0, inputTokens);
        var cachedPrice = CachedInputPerMillion > 0 ? CachedInputPerMillion : InputPerMillion;
        return ((inputTokens - cached) * InputPerMillion + cached * cachedPrice + outputTokens * OutputPerMillion) / 1_000_000m;
    }
}
