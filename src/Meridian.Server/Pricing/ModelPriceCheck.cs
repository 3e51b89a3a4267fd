namespace Meridian.Server.Pricing;

/// <summary>What is wrong with a model's figures, named as in a catalog file (snake_case) and in configuration.</summary>
internal static class ModelPriceCheck
{
    public static IEnumerable<(string Snake, string Pascal, string Reason)> Problems(ModelPrice m)
    {
        if (m.InputPerMillion < 0)
        {
            yield return ("input_per_million", "InputPerMillion", "must be given, zero or more.");
        }

        if (m.OutputPerMillion < 0)
        {
            yield return ("output_per_million", "OutputPerMillion", "must be given, zero or more.");
        }

        if (m.CachedInputPerMillion < 0 || m.CachedInputPerMillion > m.InputPerMillion)
        {
            yield return ("cached_input_per_million", "CachedInputPerMillion", "must be between zero and the input price.");
        }

        if (m.BatchDiscount is < 0 or > 1)
        {
            yield return ("batch_discount", "BatchDiscount", "must be between 0 and 1 (0.5 = half price).");
        }

        if (m.QualityTier is < 1 or > 3)
        {
            yield return ("quality_tier", "QualityTier", "must be 1 (frontier), 2 (strong general-purpose) or 3 (small and fast).");
        }

        if (m.TypicalLatencyMs is < 1 or > 600_000)
        {
            yield return ("typical_latency_ms", "TypicalLatencyMs", "must be between 1 and 600000.");
        }
    }
}
