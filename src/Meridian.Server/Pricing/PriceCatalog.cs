using System.Collections.Concurrent;

namespace Meridian.Server.Pricing;

/// <summary>The models Meridian knows the prices of, as of <see cref="AsOf"/>.</summary>
public sealed class PriceCatalog
{
    // Names seen in imported files are remembered, up to a bound, so a file with many distinct model names cannot
    // grow this without limit; beyond it lookups are simply not remembered.
    private const int RememberedLookups = 4096;

    private readonly Dictionary<string, ModelPrice> _byName;
    private readonly ConcurrentDictionary<string, ModelPrice?> _lookups = new(StringComparer.OrdinalIgnoreCase);

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

    /// <summary>Where the catalog was read from (a file path), for logs and answers.</summary>
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
