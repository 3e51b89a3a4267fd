namespace Meridian.Server.Pricing;

/// <summary>The figures of one model that configuration changes; unset ones keep the catalog's. (A catalog file's
/// entries have the same figures, under snake_case names.)</summary>
public class ModelPriceOverride
{
    public string? Provider { get; set; }

    public decimal? InputPerMillion { get; set; }

    public decimal? OutputPerMillion { get; set; }

    public decimal? CachedInputPerMillion { get; set; }

    public decimal? BatchDiscount { get; set; }

    public int? QualityTier { get; set; }

    public int? TypicalLatencyMs { get; set; }
}
