namespace Meridian.Server.Pricing;

/// <summary>The models Meridian knows the prices of, as of <see cref="AsOf"/>.</summary>
public sealed class PriceCatalog
{
    private readonly Dictionary<string, ModelPrice> _byName;

    public PriceCatalog(DateOnly asOf, IReadOnlyList<ModelPrice> models)
    {
        AsOf = asOf;
        Models = models;
        _byName = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            foreach (var name in (model.Aliases ?? []).Prepend(model.Model))
            {
                _byName[name] = model;
            }
        }
    }

    public DateOnly AsOf { get; }

    public IReadOnlyList<ModelPrice> Models { get; }

    /// <summary>The model by name or alias; a dated variant ("gpt-4o-2024-08-06") falls back to its base name.</summary>
    public ModelPrice? Find(string model)
    {
        if (_byName.TryGetValue(model.Trim(), out var price))
        {
            return price;
        }

        var best = _byName.Keys.Where(k => model.StartsWith(k, StringComparison.OrdinalIgnoreCase)).MaxBy(k => k.Length);
        return best is null ? null : _byName[best];
    }
}
