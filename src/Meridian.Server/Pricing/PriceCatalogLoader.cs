using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meridian.Server.Pricing;

/// <summary>Reads the curated catalog file (<c>data/prices.json</c> next to the server, or <c>Pricing:CatalogPath</c>),
/// merges a loaded price list into it and applies <c>Pricing:Overrides</c>. Every problem is reported with the setting
/// or file field it comes from.</summary>
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

    /// <summary>The curated catalog with the overrides applied: the catalog in use until a price list is loaded.</summary>
    public static (PriceCatalog? Catalog, IReadOnlyList<string> Errors) Load(PricingOptions options)
    {
        var (curated, errors) = LoadCurated(options);
        return curated is null ? (null, errors) : Build(curated, null, options.Overrides);
    }

    /// <summary>The curated catalog with a loaded price list merged in (<see cref="PriceListMerge"/>), then the
    /// overrides applied; dated and sourced by the list when there is one.</summary>
    public static (PriceCatalog? Catalog, IReadOnlyList<string> Errors) Build(
        PriceCatalog curated, PriceList? list, IReadOnlyDictionary<string, ModelPriceOverride> overrides)
    {
        var errors = new List<string>();
        var merged = list is null ? curated : PriceListMerge.Merge(curated, list);
        var catalog = PriceOverrides.Apply(merged, overrides, errors);
        return errors.Count > 0 ? (null, errors) : (catalog, errors);
    }

    /// <summary>The catalog file as written, without overrides: the base every refresh merges a price list into.</summary>
    public static (PriceCatalog? Catalog, IReadOnlyList<string> Errors) LoadCurated(PricingOptions options)
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

        var models = Models(file, origin, errors);
        return errors.Count > 0 ? (null, errors) : (new PriceCatalog(asOf, models) { Source = path }, errors);
    }

    private static List<ModelPrice> Models(CatalogFile file, string origin, List<string> errors)
    {
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
            errors.AddRange(ModelPriceCheck.Problems(model).Select(p => $"{at} ({model.Model}): {p.Snake} {p.Reason}"));
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

        return models;
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
