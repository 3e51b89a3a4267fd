using Meridian.Server.Pricing;
using Meridian.Server.Workloads;

namespace Meridian.Tests.Workloads;

/// <summary>Synthetic workloads look like the traffic they stand for, and a seed fixes them.</summary>
public sealed class SyntheticGeneratorTests
{
    private static readonly PriceCatalog Catalog = PriceCatalogLoader.Load(new PricingOptions()).Catalog!;
    private static readonly DateOnly End = new(2026, 11, 20);

    private static SyntheticRequest Request(string profile, int days = 28, int calls = 1000, double growth = 0, long seed = 7, double? errorRate = null)
    {
        var p = SyntheticProfiles.Find(profile)!;
        return new SyntheticRequest(p, days, calls, growth, seed, errorRate ?? p.ErrorRate, End, true);
    }

    private static List<UsageRecord> Generate(SyntheticRequest request) => new SyntheticGenerator(Catalog).Generate(request).ToList();

    private static double Share<T>(IReadOnlyCollection<T> items, Func<T, bool> predicate) => items.Count(predicate) / (double)items.Count;

    [Fact]
    public void The_same_seed_gives_the_same_records_and_another_seed_other_ones()
    {
        Generate(Request("agentic", days: 3, seed: 99)).ShouldBe(Generate(Request("agentic", days: 3, seed: 99)));
        Generate(Request("agentic", days: 3, seed: 100)).ShouldNotBe(Generate(Request("agentic", days: 3, seed: 99)));
    }

    [Theory]
    [InlineData("chatbot")]
    [InlineData("rag")]
    [InlineData("batch_summarisation")]
    [InlineData("agentic")]
    public void Records_are_ordered_within_the_days_asked_for_and_priced_from_the_catalog(string profile)
    {
        var request = Request(profile, days: 7, calls: 500);
        var records = Generate(request);
        var from = new DateTimeOffset(request.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        records.Count.ShouldBeInRange(7 * 500 * 7 / 10, 7 * 500 * 13 / 10);
        records.Select(r => r.Timestamp).ShouldBeInOrder();
        records.ShouldAllBe(r => r.Timestamp >= from && r.Timestamp < from.AddDays(7));
        var features = request.Profile.Features.ToDictionary(f => f.Name);
        foreach (var record in records)
        {
            var price = Catalog.Find(record.Model)!;
            record.Provider.ShouldBe(price.Provider);
            record.CostUsd.ShouldBe(Math.Round(price.Cost(record.InputTokens, record.OutputTokens), 8));
            features[record.Feature].Models.Select(m => m.Model).ShouldContain(record.Model);
            record.PromptHash.ShouldNotBeNull().Length.ShouldBe(16);
        }
    }

    [Fact]
    public void Interactive_traffic_follows_office_hours_and_weekdays_and_batch_traffic_runs_at_night()
    {
        var rag = Generate(Request("rag"));
        var batch = Generate(Request("batch_summarisation"));

        Share(rag, r => r.Timestamp.Hour is >= 8 and < 18).ShouldBeGreaterThan(0.6);
        var weekend = rag.Where(r => r.Timestamp.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Count() / 8.0;
        var weekday = rag.Where(r => r.Timestamp.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Count() / 20.0;
        (weekend / weekday).ShouldBeLessThan(0.5);
        Share(batch, r => r.Timestamp.Hour < 6).ShouldBeGreaterThan(0.6);
    }

    [Fact]
    public void Volume_grows_by_the_monthly_rate()
    {
        var records = Generate(Request("chatbot", days: 63, calls: 300, growth: 50));
        var first = records[0].Timestamp.Date;

        var firstWeek = records.Count(r => (r.Timestamp.Date - first).TotalDays < 7);
        var lastWeek = records.Count(r => (r.Timestamp.Date - first).TotalDays >= 56);

        // 1.5 per 30 days: about 2.1 times the first week's calls in the ninth week.
        ((double)lastWeek / firstWeek).ShouldBeInRange(1.7, 2.5);
    }

    [Fact]
    public void Popular_prompts_repeat_with_the_same_size_most_in_faq_traffic()
    {
        var records = Generate(Request("chatbot", days: 14));
        var repeated = records.GroupBy(r => r.PromptHash).Where(g => g.Count() > 1).ToList();

        repeated.ShouldAllBe(g => g.Select(r => r.InputTokens).Distinct().Count() == 1);
        repeated.ShouldAllBe(g => g.Select(r => r.Feature).Distinct().Count() == 1);
        var repeatedHashes = repeated.Select(g => g.Key).ToHashSet();
        double RepeatShare(string feature) => Share(records.Where(r => r.Feature == feature).ToList(), r => repeatedHashes.Contains(r.PromptHash));
        RepeatShare("faq_answer").ShouldBeInRange(0.45, 0.65);
        RepeatShare("support_chat").ShouldBeInRange(0.04, 0.12);
    }

    [Fact]
    public void Errors_come_at_the_requested_rate_as_quick_failures_or_timeouts_and_latency_has_a_long_tail()
    {
        var records = Generate(Request("rag", days: 14, errorRate: 0.05));
        var errors = records.Where(r => r.IsError).ToList();
        var ok = records.Where(r => !r.IsError).ToList();

        (errors.Count / (double)records.Count).ShouldBeInRange(0.04, 0.06);
        errors.ShouldAllBe(r => r.OutputTokens == 0 && (r.LatencyMs < 600 || r.LatencyMs >= 30_000));
        double Median(string model) => ok.Where(r => r.Model == model).Select(r => r.LatencyMs!.Value).Order().ElementAt(ok.Count(r => r.Model == model) / 2);
        Median("gpt-4.1-nano").ShouldBeLessThan(Median("claude-sonnet-4-5"));
        var latencies = ok.Select(r => r.LatencyMs!.Value).Order().ToList();
        latencies[(int)(latencies.Count * 0.99)].ShouldBeGreaterThan(3 * latencies[latencies.Count / 2]);
    }

    [Fact]
    public void A_catalog_without_a_profiles_model_falls_back_to_the_cheapest_model_of_its_tier()
    {
        var catalog = new PriceCatalog(new DateOnly(2026, 1, 1),
        [
            new ModelPrice("house-large", "self", 1m, 2m, 1m, 0m, 1, 3000),
            new ModelPrice("house-medium", "self", 0.5m, 1m, 0.5m, 0m, 2, 2000),
            new ModelPrice("house-medium-pricey", "self", 5m, 10m, 5m, 0m, 2, 2000),
            new ModelPrice("house-small", "self", 0.1m, 0.2m, 0.1m, 0m, 3, 500),
        ]);

        var records = new SyntheticGenerator(catalog).Generate(Request("rag", days: 2)).ToList();

        records.Select(r => r.Model).Distinct().Order().ShouldBe(["house-large", "house-medium", "house-small"]);
    }
}
