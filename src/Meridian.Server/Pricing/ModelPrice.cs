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
    public decimal Cost(long inputTokens, long outputTokens) => Cost(inputTokens, outputTokens, 0);

    /// <summary>The cost when <paramref name="cachedInputTokens"/> of the input tokens were read from the provider's
    /// prompt cache, which bills them at <see cref="CachedInputPerMillion"/>.</summary>
    public decimal Cost(long inputTokens, long outputTokens, long cachedInputTokens)
    {
        var cached = Math.Clamp(cachedInputTokens, 0, inputTokens);
        return ((inputTokens - cached) * InputPerMillion + cached * CachedInputPerMillion + outputTokens * OutputPerMillion) / 1_000_000m;
    }
}
