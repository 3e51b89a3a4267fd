namespace Meridian.Server.Pricing;

/// <summary>Section <c>Pricing</c>: which price catalog to use, a price list that keeps it current, and per-model
/// changes to it (docs/workloads.md#3-the-price-catalog).</summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";

    /// <summary>A catalog file to use instead of the shipped <c>data/prices.json</c>; a relative path is resolved
    /// against the working directory.</summary>
    public string? CatalogPath { get; set; }

    /// <summary>A price list in LiteLLM's <c>model_prices_and_context_window.json</c> format: a file path or an
    /// http(s) URL, read at start and every <see cref="RefreshMinutes"/>. Unset: the curated catalog alone.</summary>
    public string? Source { get; set; }

    /// <summary>How often <see cref="Source"/> is read again, in minutes (fractions allowed, at least 0.01).</summary>
    public double RefreshMinutes { get; set; } = 60;

    /// <summary>Changes keyed by model name or alias (<c>Pricing:Overrides:gpt-4o:InputPerMillion</c>). A name the
    /// catalog does not know adds a model, which then needs a provider and input and output prices.</summary>
    public Dictionary<string, ModelPriceOverride> Overrides { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
