namespace Meridian.Server.Pricing;

/// <summary>Applies <c>Pricing:Overrides</c> to a catalog, last of all, so configuration always wins over the
/// shipped and the loaded prices (docs/workloads.md#3-the-price-catalog).</summary>
internal static class PriceOverrides
{
    public static PriceCatalog Apply(PriceCatalog catalog, IReadOnlyDictionary<string, ModelPriceOverride> overrides, List<string> errors)
    {
        var models = catalog.Models.ToList();
        var costingOnly = catalog.CostingOnly.ToList();
        var changed = new List<string>();
        foreach (var (name, change) in overrides)
        {
            var at = $"Pricing:Overrides:{name}";
            var existing = catalog.FindExact(name);
            if (existing is null && (change.Provider is null || change.InputPerMillion is null || change.OutputPerMillion is null))
            {
                errors.Add($"{at}: '{name}' is not in the catalog; to add it, set Provider, InputPerMillion and OutputPerMillion.");
                continue;
            }

            var model = Changed(existing, name, change);
            var curated = existing is null || models.Contains(existing);
            errors.AddRange(ModelPriceCheck.Problems(model)
                .Where(p => curated || p.Pascal is not ("QualityTier" or "TypicalLatencyMs"))
                .Select(p => $"{at}:{p.Pascal} {p.Reason}"));
            Replace(curated ? models : costingOnly, existing, model);
            changed.Add(model.Model);
        }

        return new PriceCatalog(catalog.AsOf, models, costingOnly) { Source = catalog.Source, Overridden = changed };
    }

    private static ModelPrice Changed(ModelPrice? existing, string name, ModelPriceOverride change) => new(
        existing?.Model ?? name,
        change.Provider ?? existing!.Provider,
        change.InputPerMillion ?? existing!.InputPerMillion,
        change.OutputPerMillion ?? existing!.OutputPerMillion,
        change.CachedInputPerMillion ?? existing?.CachedInputPerMillion ?? change.InputPerMillion!.Value,
        change.BatchDiscount ?? existing?.BatchDiscount ?? 0,
        change.QualityTier ?? existing?.QualityTier ?? 2,
        change.TypicalLatencyMs ?? existing?.TypicalLatencyMs ?? 2000,
        existing?.Aliases);

    private static void Replace(List<ModelPrice> models, ModelPrice? existing, ModelPrice model)
    {
        if (existing is null)
        {
            models.Add(model);
        }
        else
        {
            models[models.IndexOf(existing)] = model;
        }
    }
}
