using Meridian.Server.Tools;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

public sealed class PriceLookupTests
{
    [Fact]
    public void Quotes_named_models_once_with_their_tier_down_alternatives()
    {
        // "BIG-A-LATEST" is an alias and "big-a-2025-01-01" a dated variant of big-a: one quote.
        // big-a (tier 1, alpha): tier-2 models cheaper than its blended 15 are mid-a (3) and mid-b (1.5); the same provider wins: mid-a.
        // mid-b (tier 2, beta): no beta model in tier 3, so the cheapest of small-a (0.75) and local-free (0): local-free.
        var (summary, data) = PriceLookup.Run(Catalog(), ["big-a", "BIG-A-LATEST", "gpt-9", "mid-b", "big-a-2025-01-01", "Gpt-9"]);

        data.CatalogDate.ShouldBe("2026-01-15");
        data.Models.ShouldBe([new PriceQuote("big-a", "alpha", 10m, 30m, 5m, 0.5m, 1, 2000), new PriceQuote("mid-b", "beta", 1m, 3m, 0.5m, 0.5m, 2, 600)]);
        data.Unknown.ShouldBe(["gpt-9"]);
        data.CheaperAlternatives.Select(q => q.Model).ShouldBe(["mid-a", "local-free"]);
        summary.ShouldBe(
            "big-a (alpha) costs $10/M input and $30/M output tokens, $5/M cached input. " +
            "mid-b (beta) costs $1/M input and $3/M output tokens, $0.5/M cached input. " +
            "Cheaper tier-down alternatives: mid-a ($2/$6), local-free ($0/$0). Not in the catalog: gpt-9.");
    }

    [Fact]
    public void The_cheaper_model_is_one_tier_down_preferring_the_same_provider()
    {
        var catalog = Catalog();
        string? Cheaper(string model) => PriceLookup.CheaperThan(catalog, catalog.Find(model)!)?.Model;

        Cheaper("big-a").ShouldBe("mid-a");      // alpha's tier 2, though beta's mid-b is cheaper
        Cheaper("big-b").ShouldBe("mid-b");      // beta's tier 2
        Cheaper("mid-a").ShouldBe("small-a");    // alpha's tier 3, though local-free costs nothing
        Cheaper("mid-b").ShouldBe("local-free"); // no beta tier 3: the cheapest there is
        Cheaper("small-a").ShouldBeNull();       // no tier 4
        Cheaper("local-free").ShouldBeNull();
    }

    [Fact]
    public void Blended_price_weighs_three_input_tokens_per_output_token()
    {
        var catalog = Catalog();

        PriceLookup.Blended(catalog.Find("big-a")!).ShouldBe(15m);    // (3 * 10 + 30) / 4
        PriceLookup.Blended(catalog.Find("small-a")!).ShouldBe(0.75m); // (3 * 0.5 + 1.5) / 4
        PriceLookup.Blended(catalog.Find("local-free")!).ShouldBe(0m);
    }

    [Fact]
    public void A_free_model_without_cached_price_or_alternative()
    {
        var (summary, data) = PriceLookup.Run(Catalog(), ["local-free"]);

        data.Models.ShouldHaveSingleItem().InputPerMillion.ShouldBe(0m);
        data.CheaperAlternatives.ShouldBeEmpty();
        summary.ShouldBe("local-free (local) costs $0/M input and $0/M output tokens.");
    }

    [Fact]
    public void Unknown_models_only()
    {
        var (summary, data) = PriceLookup.Run(Catalog(), ["gpt-9", "claude-0"]);

        data.Models.ShouldBeEmpty();
        data.Unknown.ShouldBe(["gpt-9", "claude-0"]);
        summary.ShouldBe("None of the named models is in the price catalog. Not in the catalog: gpt-9, claude-0.");
    }

    [Fact]
    public void No_models_named()
    {
        var (summary, data) = PriceLookup.Run(Catalog(), []);

        summary.ShouldBe("None of the named models is in the price catalog.");
        data.Models.ShouldBeEmpty();
        data.Unknown.ShouldBeEmpty();
        data.CheaperAlternatives.ShouldBeEmpty();
    }
}
