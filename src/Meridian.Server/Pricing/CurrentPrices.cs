using Microsoft.Extensions.Options;

namespace Meridian.Server.Pricing;

/// <summary>The price catalog in use: one immutable <see cref="PriceCatalog"/> behind one reference, replaced whole
/// when a price list is loaded. A reader takes <see cref="Catalog"/> once and uses that snapshot throughout, so an
/// import or a tool never mixes prices of two lists, and a lookup costs what it cost before refreshing existed
/// (docs/workloads.md#3-the-price-catalog).</summary>
public sealed class CurrentPrices
{
    private readonly PriceCatalog _curated;
    private readonly IReadOnlyDictionary<string, ModelPriceOverride> _overrides;
    private PriceCatalog _catalog;

    public CurrentPrices(IOptions<PricingOptions> options)
    {
        var (curated, errors) = PriceCatalogLoader.LoadCurated(options.Value);
        _curated = curated ?? throw new OptionsValidationException(PricingOptions.Section, typeof(PricingOptions), errors);
        _overrides = options.Value.Overrides;
        var (catalog, problems) = PriceCatalogLoader.Build(_curated, null, _overrides);
        _catalog = catalog ?? throw new OptionsValidationException(PricingOptions.Section, typeof(PricingOptions), problems);
    }

    public PriceCatalog Catalog => Volatile.Read(ref _catalog);

    /// <summary>The catalog a price list would give, with the overrides applied; the one in use is untouched.</summary>
    public (PriceCatalog? Catalog, IReadOnlyList<string> Errors) With(PriceList list) => PriceCatalogLoader.Build(_curated, list, _overrides);

    /// <summary>Puts a catalog in use; readers holding the previous one finish with it.</summary>
    public void Use(PriceCatalog catalog) => Volatile.Write(ref _catalog, catalog);
}
