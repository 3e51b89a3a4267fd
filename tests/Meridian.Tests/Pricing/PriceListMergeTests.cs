using System.Text;
using Meridian.Server.Pricing;

namespace Meridian.Tests.Pricing;

/// <summary>How a LiteLLM-format list is read and combined with the curated catalog
/// (docs/workloads.md#3-the-price-catalog).</summary>
public sealed class PriceListMergeTests
{
    private static readonly PriceCatalog Curated = PriceCatalogLoader.LoadCurated(new PricingOptions()).Catalog!;

    private static PriceCatalog Merged(decimal gpt4oInput = 4.00m)
    {
        var (prices, error) = LiteLlmFormat.Parse(Encoding.UTF8.GetBytes(LiteLlmList.With(gpt4oInput)));
        error.ShouldBeNull();
        var (catalog, errors) = PriceCatalogLoader.Build(Curated, new PriceList("https://prices.example/list.json", new DateOnly(2026, 12, 1), prices!), new Dictionary<string, ModelPriceOverride>());
        errors.ShouldBeEmpty();
        return catalog!;
    }

    [Fact]
    public void Only_text_models_with_both_prices_are_read_in_usd_per_million_tokens()
    {
        var (prices, _) = LiteLlmFormat.Parse(Encoding.UTF8.GetBytes(LiteLlmList.With(4.00m)));

        prices.ShouldNotBeNull();
        prices.Select(p => p.Name).ShouldBe(["gpt-4o", "gpt-4o-2024-05-13", "azure/gpt-4o", "claude-sonnet-4-5", "acme/frontier-9"]);
        prices[0].ShouldBe(new ListedPrice("gpt-4o", "openai", 4.00m, 12m, 1.5m));
        prices[2].CachedInputPerMillion.ShouldBe(2.75m);
    }

    [Fact]
    public void The_list_updates_curated_prices_and_keeps_tiers_latency_and_aliases()
    {
        var catalog = Merged();
        var shipped = Curated.FindExact("gpt-4o")!;

        var gpt4o = catalog.FindExact("gpt-4o")!;
        (gpt4o.InputPerMillion, gpt4o.OutputPerMillion, gpt4o.CachedInputPerMillion).ShouldBe((4.00m, 12m, 1.5m));
        (gpt4o.QualityTier, gpt4o.TypicalLatencyMs, gpt4o.BatchDiscount).ShouldBe((shipped.QualityTier, shipped.TypicalLatencyMs, shipped.BatchDiscount));
        catalog.Find("claude-sonnet-4.5")!.CachedInputPerMillion.ShouldBe(0.3m);
        catalog.Models.Count.ShouldBe(Curated.Models.Count);
        catalog.Find("gemini-2.5-pro").ShouldBe(Curated.FindExact("gemini-2.5-pro"));
        (catalog.AsOf, catalog.Source).ShouldBe((new DateOnly(2026, 12, 1), "https://prices.example/list.json"));
    }

    [Fact]
    public void Other_models_price_records_but_are_never_recommended()
    {
        var catalog = Merged();

        catalog.CostingOnly.Select(m => m.Model).ShouldBe(["gpt-4o-2024-05-13", "azure/gpt-4o", "acme/frontier-9"], ignoreOrder: true);
        catalog.Models.ShouldNotContain(m => m.Model == "acme/frontier-9");
        catalog.Find("gpt-4o-2024-05-13")!.InputPerMillion.ShouldBe(5m);
        catalog.Find("azure/gpt-4o")!.Provider.ShouldBe("azure");
        catalog.Find("gpt-4o-2024-05-13")!.QualityTier.ShouldBe(Curated.FindExact("gpt-4o")!.QualityTier);
        catalog.Find("acme/frontier-9")!.QualityTier.ShouldBe(0);
        Meridian.Server.Tools.PriceLookup.CheaperThan(catalog, catalog.Find("acme/frontier-9")!).ShouldBeNull();
        catalog.PricedCount.ShouldBe(Curated.Models.Count + 3);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"sample_spec\": {}, \"text-embedding-3-small\": {\"input_cost_per_token\": 2e-08, \"output_cost_per_token\": 0, \"mode\": \"embedding\"}}")]
    [InlineData("{\"gpt-4o\": {\"input_cost_per_token\": \"cheap\", \"output_cost_per_token\": 1e-05}}")]
    public void A_list_without_usable_text_models_is_refused_whole(string body)
    {
        var (prices, error) = LiteLlmFormat.Parse(Encoding.UTF8.GetBytes(body));

        prices.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void A_check_lists_added_removed_and_changed_models()
    {
        var check = PriceCheck.Compare(Merged(4.00m), Merged(3.25m));

        check.Added.ShouldBeEmpty();
        check.Removed.ShouldBeEmpty();
        check.Changed.Single().Model.ShouldBe("gpt-4o");
        (check.Changed[0].Old.InputPerMillion, check.Changed[0].New.InputPerMillion).ShouldBe((4.00m, 3.25m));
        PriceCheck.Compare(Curated, Merged()).Added.Count.ShouldBe(3);
        PriceCheck.Compare(Merged(), Merged()).Changes.ShouldBe(0);
    }
}
