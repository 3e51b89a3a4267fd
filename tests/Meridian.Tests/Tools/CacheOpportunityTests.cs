using Meridian.Server.Tools;
using static Meridian.Tests.Tools.ToolFixtures;

namespace Meridian.Tests.Tools;

public sealed class CacheOpportunityTests
{
    [Fact]
    public void Repeated_share_and_what_cached_input_pricing_saves()
    {
        // #   day  hash  model    input    cost   repeat?
        // 1   0    h1    big-a    100000   0.50
        // 2   1    h1    big-a    100000   0.50   yes: 100000 * (10 - 5) / 1M = 0.50 saved
        // 3   2    h1    big-a    100000   0.50   yes: 0.50 saved
        // 4   3    h2    mid-a    200000   0.20
        // 5   4    h2    mid-a    200000   0.20   yes: 200000 * (2 - 1) / 1M = 0.20 saved
        // 6   5    h3    small-a  400000   0.10
        // 7   6    h3    small-a  400000   0.10   yes: small-a has no cached-input price, nothing saved
        // 8   7    h4    gpt-9    50000    0.05
        // 9   8    h4    gpt-9    50000    0.05   yes: not in the catalog, nothing saved
        // 10  9    -     big-a    100000   1.00   no hash
        // 11  10   ""    big-a    100000   1.00   no hash
        // 12  10   H1    big-a    100000   0.50   hashes compare exactly: a new prompt
        // 10 hashed calls, 5 repeats: 50%. Repeated input 100000 + 100000 + 200000 + 400000 + 50000 = 850,000.
        // Span 10 days, a month is 3 times that: savings (0.50 + 0.50 + 0.20) * 3 = 3.60;
        // repeated calls' cost (0.50 + 0.50 + 0.20 + 0.10 + 0.05) * 3 = 4.05.
        var (summary, data) = CacheOpportunity.Run(
        [
            Call(Day(0), "big-a", 100_000, 100, 500, 0.50m, hash: "h1"),
            Call(Day(1), "big-a", 100_000, 100, 500, 0.50m, hash: "h1"),
            Call(Day(2), "big-a", 100_000, 100, 500, 0.50m, hash: "h1"),
            Call(Day(3), "mid-a", 200_000, 100, 500, 0.20m, hash: "h2"),
            Call(Day(4), "mid-a", 200_000, 100, 500, 0.20m, hash: "h2"),
            Call(Day(5), "small-a", 400_000, 100, 500, 0.10m, hash: "h3"),
            Call(Day(6), "small-a", 400_000, 100, 500, 0.10m, hash: "h3"),
            Call(Day(7), "gpt-9", 50_000, 100, 500, 0.05m, hash: "h4"),
            Call(Day(8), "gpt-9", 50_000, 100, 500, 0.05m, hash: "h4"),
            Call(Day(9), "big-a", 100_000, 100, 500, 1.00m),
            Call(Day(10), "big-a", 100_000, 100, 500, 1.00m, hash: ""),
            Call(Day(10), "big-a", 100_000, 100, 500, 0.50m, hash: "H1"),
        ], Catalog());

        data.ShouldBe(new CacheOpportunityData(10, 5, 0.5, 850_000, 3.60m, 4.05m));
        summary.ShouldBe("50% of calls (5 of 10) repeat a prompt already sent, 850,000 input tokens in all. " +
            "Prompt caching would save $3.60 a month; those calls cost $4.05 a month, the most a response cache could save.");
        summary.ShouldContain($"{Figures.Pct(data.RepeatedShare)} of calls");
        summary.ShouldContain($"save {Figures.Usd(data.MonthlyPromptCacheSavingsUsd)} a month; those calls cost {Figures.Usd(data.MonthlyRepeatedCallCostUsd)} a month");
    }

    [Fact]
    public void Models_without_a_cached_input_price_save_nothing_from_prompt_caching()
    {
        // small-a and local-free have cached-input price 0, which means the model offers no prompt caching
        // (as price_lookup and savings_estimate read it), not that cached tokens are free.
        // Two calls an hour apart: the span clamps to one day, so a month is 30 times the repeated call's cost.
        var (summary, data) = CacheOpportunity.Run(
        [
            Call(Day(0), "small-a", 400_000, 100, 500, 0.25m, hash: "p"),
            Call(Day(0).AddHours(1), "small-a", 400_000, 100, 500, 0.25m, hash: "p"),
            Call(Day(0).AddHours(1), "local-free", 400_000, 100, 500, 0m, hash: "q"),
            Call(Day(0).AddHours(1), "local-free", 400_000, 100, 500, 0m, hash: "q"),
        ], Catalog());

        data.ShouldBe(new CacheOpportunityData(4, 2, 0.5, 800_000, 0m, 7.50m));
        summary.ShouldContain("Prompt caching would save $0.00 a month; those calls cost $7.50 a month");
    }

    [Fact]
    public void A_short_span_counts_as_one_day()
    {
        // Two mid-a calls two hours apart: 500000 * (2 - 1) / 1M = 0.50 saved, times 30 = 15.00; cost 1.00 * 30 = 30.00.
        var (_, data) = CacheOpportunity.Run(
        [
            Call(Day(0), "mid-a", 500_000, 100, 500, 1.00m, hash: "x"),
            Call(Day(0).AddHours(2), "mid-a", 500_000, 100, 500, 1.00m, hash: "x"),
        ], Catalog());

        data.ShouldBe(new CacheOpportunityData(2, 1, 0.5, 500_000, 15.00m, 30.00m));
    }

    [Fact]
    public void A_single_hashed_call_repeats_nothing()
    {
        var (summary, data) = CacheOpportunity.Run([Call(Day(0), "big-a", 1000, 100, 500, 1m, hash: "only")], Catalog());

        data.ShouldBe(new CacheOpportunityData(1, 0, 0, 0, 0m, 0m));
        summary.ShouldStartWith("0% of calls (0 of 1) repeat a prompt already sent, 0 input tokens in all.");
    }

    [Fact]
    public void Without_prompt_hashes_nothing_can_be_measured()
    {
        const string Unmeasurable = "No record carries a prompt_hash, so repeated prompts cannot be measured.";
        var unhashed = CacheOpportunity.Run([Call(Day(0), "big-a", 1000, 100, 500, 1m), Call(Day(1), "big-a", 1000, 100, 500, 1m, hash: "")], Catalog());
        var empty = CacheOpportunity.Run([], Catalog());

        unhashed.Summary.ShouldBe(Unmeasurable);
        unhashed.Data.ShouldBe(new CacheOpportunityData(0, 0, 0, 0, 0m, 0m));
        empty.Summary.ShouldBe(Unmeasurable);
        empty.Data.ShouldBe(unhashed.Data);
    }
}
