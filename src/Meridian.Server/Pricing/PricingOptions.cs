namespace Meridian.Server.Pricing;

/// <summary>Section <c>Pricing</c>: which price catalog to use, and per-model changes to it.</summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";

    /// <summary>A catalog file to use instead of the shipped <c>data/prices.json</c>; a relative path is resolved
    /// against the working directory.</summary>
    public string? CatalogPath { get; set; }

    /// <summary>Changes keyed by model name or alias (<c>Pricing:Overrides:gpt-4o:InputPerMillion</c>). A name the
    /// catalog does not know adds a model, which then needs a provider and input and output prices.</summary>
    public Dictionary<string, ModelPriceOverride> Overrides { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
