using System.Collections.Concurrent;

namespace Meridian.Server.Pricing;

/// <summary>The models Meridian knows the prices of, as of <see cref="AsOf"/>: an immutable snapshot, so a refresh
/// builds a new one and swaps it in whole (<see cref="CurrentPrices"/>, docs/workloads.md#3-the-price-catalog).</summary>
public sealed class PriceCatalog
{
    // Names seen in imported files are remembered, up to a bound, so a file with many distinct model names cannot
    // grow this without limit; beyond it lookups are simply not remembered.
    private const int RememberedLookups = 4096;

    private readonly Dictionary<string, ModelPrice> _byName;
    private readonly ConcurrentDictionary<string, ModelPrice?> _lookups = new(StringComparer.OrdinalIgnoreCase);

    public PriceCatalog(DateOnly asOf, IReadOnlyList<ModelPrice> models)
        : this(asOf, models, [])
    {
    }

    /// <param name="costingOnly">Models of a loaded price list the curated catalog does not hold: found by name to
    /// price records, never offered as alternatives (they are not in <see cref="Models"/>).</param>
    public PriceCatalog(DateOnly asOf, IReadOnlyList<ModelPrice> models, IReadOnlyList<ModelPrice> costingOnly)
    {
        AsOf = asOf;
        Models = models;
        CostingOnly = costingOnly;
        _byName = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

        // Curated names are added last so that they win over a loaded entry of the same name.
        foreach (var model in costingOnly.Concat(models))
        {
            foreach (var name in (model.Aliases ?? []).Prepend(model.Model))
            {
                _byName[name] = model;
            }
        }
    }

    public DateOnly AsOf { get; }

    /// <summary>The curated models: the ones the optimization tools weigh and recommend.</summary>
    public IReadOnlyList<ModelPrice> Models { get; }

    /// <summary>The loaded list's other models, priced but never recommended.</summary>
    public IReadOnlyList<ModelPrice> CostingOnly { get; }

    /// <summary>How many models the catalog prices: curated and costing-only.</summary>
    public int PricedCount => Models.Count + CostingOnly.Count;

    /// <summary>Where the prices were read from: a file path, or a URL without credentials or query.</summary>
    public string Source { get; init; } = "";

    /// <summary>Models whose figures configuration changed or added (<c>Pricing:Overrides</c>).</summary>
    public IReadOnlyList<string> Overridden { get; init; } = [];

    /// <summary>The model by name or alias. A dated or suffixed variant ("gpt-4o-2024-08-06",
    /// "claude-sonnet-4-5@20250929") falls back to the longest known name it extends at a '-', '@' or ':';
    /// a hosting prefix ("openai/gpt-4o") is dropped. Null when nothing matches.</summary>
    public ModelPrice? Find(string model)
    {
        var name = model.Trim();
        if (name.Length == 0)
        {
            return null;
        }

        if (_lookups.TryGetValue(name, out var known))
        {
            return known;
        }

        var found = Lookup(name);
        if (_lookups.Count < RememberedLookups)
        {
            _lookups.TryAdd(name, found);
        }

        return found;
    }

    /// <summary>The model with exactly this name or alias.</summary>
    public ModelPrice? FindExact(string name) => _byName.GetValueOrDefault(name.Trim());

    private ModelPrice? Lookup(string name)
    {
        if (_byName.TryGetValue(name, out var price))
        {
            return price;
        }

        var slash = name.LastIndexOf('/');
        if (slash >= 0 && slash < name.Length - 1)
        {
            return Lookup(name[(slash + 1)..]);
        }

        var best = _byName.Keys
            .Where(k => name.Length > k.Length && name[k.Length] is '-' or '@' or ':' && name.StartsWith(k, StringComparison.OrdinalIgnoreCase))
            .MaxBy(k => k.Length);
        return best is null ? null : _byName[best];
    }
}
