using System.Text.Json;

namespace Meridian.Server.Pricing;

/// <summary>Reads LiteLLM's <c>model_prices_and_context_window.json</c>: one object keyed by model name, prices in USD
/// per token. Only text models count (<c>mode</c> chat, completion or responses, or none given) that have both an
/// input and an output price; <c>sample_spec</c> and every other entry are skipped, not errors, since the list holds
/// thousands of models of every kind (docs/workloads.md#3-the-price-catalog).</summary>
public static class LiteLlmFormat
{
    private const decimal PerMillion = 1_000_000m;

    private static readonly HashSet<string> TextModes = new(StringComparer.OrdinalIgnoreCase) { "chat", "completion", "responses" };

    /// <summary>The list's text models, or why the body is not such a list (then nothing of it is used).</summary>
    public static (IReadOnlyList<ListedPrice>? Prices, string? Error) Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "the list is not a JSON object keyed by model name.");
            }

            var prices = new List<ListedPrice>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (Read(entry) is { } price)
                {
                    prices.Add(price);
                }
            }

            return prices.Count == 0 ? (null, "the list prices no chat, completion or responses model.") : (prices, null);
        }
        catch (JsonException ex)
        {
            return (null, $"the list is not valid JSON ({ex.Message}).");
        }
    }

    private static ListedPrice? Read(JsonProperty entry)
    {
        var name = entry.Name.Trim();
        var value = entry.Value;
        if (name.Length == 0 || name == "sample_spec" || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (value.TryGetProperty("mode", out var mode) && (mode.ValueKind != JsonValueKind.String || !TextModes.Contains(mode.GetString()!)))
        {
            return null;
        }

        if (Cost(value, "input_cost_per_token") is not { } input || Cost(value, "output_cost_per_token") is not { } output)
        {
            return null;
        }

        // A cache-read price above the input price is a data error; the input price is the safe reading.
        var cached = Cost(value, "cache_read_input_token_cost") is { } read && read <= input ? read : input;
        var provider = value.TryGetProperty("litellm_provider", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()!.Trim() : "";
        if (provider.Length == 0)
        {
            provider = name.Contains('/') ? name[..name.IndexOf('/')] : "unknown";
        }

        return new ListedPrice(name, provider, input, output, cached);
    }

    /// <summary>A per-token price as USD per million tokens, rounded to the catalog's precision; null when absent,
    /// not a number, negative or absurd (over 10,000 USD per million tokens).</summary>
    private static decimal? Cost(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var perToken)
            && perToken >= 0 && perToken * PerMillion <= 10_000m
            ? decimal.Round(perToken * PerMillion, 6)
            : null;
}
