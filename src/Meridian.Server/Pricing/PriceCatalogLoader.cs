using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meridian.Server.Pricing;

/// <summary>Reads the catalog file (<c>data/prices.json</c> next to the server, or <c>Pricing:CatalogPath</c>) and
/// applies <c>Pricing:Overrides</c>. Every problem is reported with the setting or file field it comes from.</summary>
public static class PriceCatalogLoader
{
    private static readonly JsonSerializerOptions FileJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The catalog shipped with the server (copied to its output folder by the project file).</summary>
    public static string ShippedPath => Path.Combine(AppContext.BaseDirectory, "data", "prices.json");

    public static (PriceCatalog? Catalog, IReadOnlyList<string> Errors) Load(PricingOptions options)
    {
        var errors = new List<string>();
        var path = options.CatalogPath is { Length: > 0 } configured
            ? Path.GetFullPath(configured, Directory.GetCurrentDirectory())
            : ShippedPath;
        var origin = options.CatalogPath is { Length: > 0 }
            ? $"Pricing:CatalogPath ({path})"
            : $"the shipped price catalog ({path}; set Pricing:CatalogPath to use another)";

        var file = Read(path, origin, errors);
        if (file is null)
        {
            return (null, errors);
        }

        if (!DateOnly.TryParseExact(file.AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf))
        {
            errors.Add($"{origin}: as_of must be a date such as 2025-11-25, got '{file.AsOf}'.");
        }

        var models = new List<ModelPrice>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (entry, index) in (file.Models ?? []).Select((m, i) => (m, i)))
        {
            var at = $"{origin}: models[{index}]";
            if (string.IsNullOrWhiteSpace(entry.Model) || string.IsNullOrWhiteSpace(entry.Provider))
            {
                errors.Add($"{at} needs a model and a provider.");
                continue;
            }

            var model = new ModelPrice(entry.Model.Trim(), entry.Provider.Trim(), entry.InputPerMillion ?? -1, entry.OutputPerMillion ?? -1,
                entry.CachedInputPerMillion ?? entry.InputPerMillion ?? -1, entry.BatchDiscount ?? 0, entry.QualityTier ?? 0,
                entry.TypicalLatencyMs ?? 0, entry.Aliases?.Select(a => a.Trim()).ToList());
            errors.AddRange(Check(model).Select(p => $"{at} ({model.Model}): {p.Snake} {p.Reason}"));
            foreach (var name in (model.Aliases ?? []).Prepend(model.Model))
            {
                if (!names.Add(name))
                {
                    errors.Add($"{at}: the name '{name}' is used by another model.");
                }
            }

            models.Add(model);
        }

        if (models.Count == 0)
        {
            errors.Add($"{origin}: the catalog lists no models.");
        }

        var catalog = new PriceCatalog(asOf, models);
        var (overridden, changed) = ApplyOverrides(catalog, options.Overrides, errors);
        return errors.Count > 0
            ? (null, errors)
            : (new PriceCatalog(asOf, overridden) { Source = path, Overridden = changed }, errors);
    }

    private static CatalogFile? Read(string path, string origin, List<string> errors)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var file = JsonSerializer.Deserialize<CatalogFile>(stream, FileJson);
            if (file is null)
            {
                errors.Add($"{origin}: the file holds no catalog.");
            }

            return file;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{origin}: cannot read the file ({ex.Message}).");
        }
        catch (JsonException ex)
        {
            errors.Add($"{origin}: not a valid catalog ({ex.Message}).");
        }

        return null;
    }

    private static (List<ModelPrice> Models, List<string> Changed) ApplyOverrides(
        PriceCatalog catalog, IReadOnlyDictionary<string, ModelPriceOverride> overrides, List<string> errors)
    {
        var models = catalog.Models.ToList();
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

            var model = new ModelPrice(
                existing?.Model ?? name,
                change.Provider ?? existing!.Provider,
                change.InputPerMillion ?? existing!.InputPerMillion,
                change.OutputPerMillion ?? existing!.OutputPerMillion,
                change.CachedInputPerMillion ?? existing?.CachedInputPerMillion ?? change.InputPerMillion!.Value,
                change.BatchDiscount ?? existing?.BatchDiscount ?? 0,
                change.QualityTier ?? existing?.QualityTier ?? 2,
                change.TypicalLatencyMs ?? existing?.TypicalLatencyMs ?? 2000,
                existing?.Aliases);
            errors.AddRange(Check(model).Select(p => $"{at}:{p.Pascal} {p.Reason}"));
            if (existing is null)
            {
                models.Add(model);
            }
            else
            {
                models[models.IndexOf(existing)] = model;
            }

            changed.Add(model.Model);
        }

        return (models, changed);
    }

    /// <summary>What is wrong with a model's figures, named as in the file (snake_case) and in configuration.</summary>
    private static IEnumerable<(string Snake, string Pascal, string Reason)> Check(ModelPrice m)
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

    private sealed class CatalogFile
    {
        public string? AsOf { get; set; }

        public List<CatalogEntry>? Models { get; set; }
    }

    private sealed class CatalogEntry : ModelPriceOverride
    {
        public string? Model { get; set; }

        public List<string>? Aliases { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Other { get; set; }
    }
}
