using Meridian.Server.Pricing;
using Meridian.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Meridian.Tests.Pricing;

public sealed class PriceCatalogTests
{
    private static PriceCatalog Shipped() => Load(new PricingOptions());

    private static PriceCatalog Load(PricingOptions options)
    {
        var (catalog, errors) = PriceCatalogLoader.Load(options);
        errors.ShouldBeEmpty();
        return catalog!;
    }

    private static IReadOnlyList<string> Errors(PricingOptions options)
    {
        var (catalog, errors) = PriceCatalogLoader.Load(options);
        catalog.ShouldBeNull();
        return errors;
    }

    [Fact]
    public void The_shipped_catalog_is_dated_and_prices_at_least_twenty_models_of_the_big_providers_and_open_weight_hosts()
    {
        var catalog = Shipped();

        catalog.AsOf.ShouldBeGreaterThan(new DateOnly(2025, 1, 1));
        catalog.Models.Count.ShouldBeGreaterThanOrEqualTo(20);
        new[] { "openai", "anthropic", "google", "together", "groq" }.ShouldBeSubsetOf(catalog.Models.Select(m => m.Provider).Distinct());
        catalog.Models.Select(m => m.QualityTier).Distinct().Order().ShouldBe([1, 2, 3]);
        foreach (var model in catalog.Models)
        {
            model.OutputPerMillion.ShouldBeGreaterThan(0, model.Model);
            model.CachedInputPerMillion.ShouldBeLessThanOrEqualTo(model.InputPerMillion, model.Model);
            model.TypicalLatencyMs.ShouldBeGreaterThan(0, model.Model);
        }

        catalog.Source.ShouldBe(PriceCatalogLoader.ShippedPath);
        catalog.Overridden.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("GPT-4o", "gpt-4o")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini")]
    [InlineData("gpt-4-0613", "gpt-4")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("claude-opus-4-20250514", "claude-opus-4-1")]
    [InlineData("claude-sonnet-4-5@20250929", "claude-sonnet-4-5")]
    [InlineData("claude-3-5-haiku-latest", "claude-3-5-haiku")]
    [InlineData("gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite")]
    [InlineData("openai/gpt-4o", "gpt-4o")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama-3.3-70b-instruct-turbo")]
    [InlineData(" mistral-medium-latest ", "mistral-medium-3")]
    public void Find_resolves_names_aliases_dated_variants_and_hosting_prefixes(string name, string expected) =>
        Shipped().Find(name)!.Model.ShouldBe(expected);

    [Theory]
    [InlineData("gpt-4.5-preview")]
    [InlineData("gpt-4oo")]
    [InlineData("my-fine-tune")]
    [InlineData("")]
    public void Find_does_not_guess_a_model_from_a_name_that_merely_starts_alike(string name) =>
        Shipped().Find(name).ShouldBeNull();

    [Fact]
    public void Cost_is_input_and_output_tokens_at_the_per_million_prices()
    {
        var gpt4o = Shipped().Find("gpt-4o")!;

        gpt4o.Cost(1_000, 500).ShouldBe((1_000 * gpt4o.InputPerMillion + 500 * gpt4o.OutputPerMillion) / 1_000_000m);
        gpt4o.Cost(1_000_000, 0).ShouldBe(gpt4o.InputPerMillion);
    }

    [Fact]
    public void Overrides_change_the_figures_of_a_known_model_and_add_an_unknown_one()
    {
        var catalog = Load(new PricingOptions
        {
            Overrides =
            {
                ["GPT-4o"] = new ModelPriceOverride { InputPerMillion = 2.0m, QualityTier = 1 },
                ["acme-fine-tune"] = new ModelPriceOverride { Provider = "acme", InputPerMillion = 0.5m, OutputPerMillion = 1.5m },
            },
        });

        var gpt4o = catalog.Find("gpt-4o-2024-08-06")!;
        gpt4o.InputPerMillion.ShouldBe(2.0m);
        gpt4o.QualityTier.ShouldBe(1);
        gpt4o.OutputPerMillion.ShouldBe(Shipped().Find("gpt-4o")!.OutputPerMillion, "unset figures keep the catalog's");
        var added = catalog.Find("acme-fine-tune")!;
        (added.Provider, added.InputPerMillion, added.OutputPerMillion, added.CachedInputPerMillion).ShouldBe(("acme", 0.5m, 1.5m, 0.5m));
        catalog.Models.Count.ShouldBe(Shipped().Models.Count + 1);
        catalog.Overridden.ShouldBe(["gpt-4o", "acme-fine-tune"], ignoreOrder: true);
    }

    [Fact]
    public void A_bad_override_is_reported_with_its_configuration_key()
    {
        var errors = Errors(new PricingOptions
        {
            Overrides =
            {
                ["gpt-4o"] = new ModelPriceOverride { InputPerMillion = -1m, BatchDiscount = 2m },
                ["unknown-model"] = new ModelPriceOverride { InputPerMillion = 1m },
            },
        });

        errors.ShouldContain(e => e.StartsWith("Pricing:Overrides:gpt-4o:InputPerMillion", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("Pricing:Overrides:gpt-4o:BatchDiscount", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("Pricing:Overrides:unknown-model", StringComparison.Ordinal) && e.Contains("Provider"));
    }

    [Fact]
    public void Another_catalog_file_replaces_the_shipped_one()
    {
        var file = WriteCatalog("""
            { "as_of": "2026-01-15", "models": [
              { "model": "house-model", "provider": "self-hosted", "aliases": ["house"], "input_per_million": 0.2, "output_per_million": 0.4,
                "quality_tier": 3, "typical_latency_ms": 500 } ] }
            """);

        var catalog = Load(new PricingOptions { CatalogPath = file });

        catalog.AsOf.ShouldBe(new DateOnly(2026, 1, 15));
        catalog.Source.ShouldBe(file);
        catalog.Models.Select(m => m.Model).ShouldBe(["house-model"]);
        catalog.Find("house")!.CachedInputPerMillion.ShouldBe(0.2m, "without a cached price, cached input costs the input price");
        catalog.Find("gpt-4o").ShouldBeNull();
    }

    [Theory]
    [InlineData("{ not json", "not a valid catalog")]
    [InlineData("""{ "as_of": "last week", "models": [ { "model": "m", "provider": "p", "input_per_million": 1, "output_per_million": 1, "quality_tier": 2, "typical_latency_ms": 1 } ] }""", "as_of")]
    [InlineData("""{ "as_of": "2026-01-01", "models": [] }""", "no models")]
    [InlineData("""{ "as_of": "2026-01-01", "models": [ { "model": "m", "provider": "p", "input_per_million": -1, "output_per_million": 1, "quality_tier": 2, "typical_latency_ms": 1 } ] }""", "input_per_million")]
    [InlineData("""{ "as_of": "2026-01-01", "models": [ { "model": "m", "provider": "p", "input_per_million": 1, "output_per_million": 1, "quality_tier": 7, "typical_latency_ms": 1 } ] }""", "quality_tier")]
    [InlineData("""{ "as_of": "2026-01-01", "models": [ { "model": "m", "provider": "p", "input_per_million": 1, "output_per_million": 1, "quality_tier": 2, "typical_latency_ms": 1 }, { "model": "n", "provider": "p", "aliases": ["M"], "input_per_million": 1, "output_per_million": 1, "quality_tier": 2, "typical_latency_ms": 1 } ] }""", "used by another model")]
    public void An_invalid_catalog_file_is_reported_naming_the_setting_and_the_problem(string content, string problem)
    {
        var errors = Errors(new PricingOptions { CatalogPath = WriteCatalog(content) });

        errors.ShouldNotBeEmpty();
        errors.ShouldAllBe(e => e.StartsWith("Pricing:CatalogPath", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_with_a_missing_catalog_file_does_not_start_and_names_the_setting()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-catalog-{Guid.NewGuid():N}.json");

        var failure = await Should.ThrowAsync<OptionsValidationException>(() =>
            ServerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Pricing:CatalogPath"] = missing }));

        failure.Message.ShouldContain("Pricing:CatalogPath");
        failure.Message.ShouldContain(missing);
    }

    [Fact]
    public async Task Configuration_overrides_reach_the_running_server()
    {
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Pricing:Overrides:gpt-4o:InputPerMillion"] = "1.75",
            ["Pricing:Overrides:acme-7b:Provider"] = "acme",
            ["Pricing:Overrides:acme-7b:InputPerMillion"] = "0.1",
            ["Pricing:Overrides:acme-7b:OutputPerMillion"] = "0.2",
        });

        var catalog = server.Service<PriceCatalog>();

        catalog.Find("gpt-4o")!.InputPerMillion.ShouldBe(1.75m);
        catalog.Find("acme-7b")!.Provider.ShouldBe("acme");
    }

    private static string WriteCatalog(string content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("meridian-prices-").FullName, "prices.json");
        File.WriteAllText(path, content);
        return path;
    }
}
