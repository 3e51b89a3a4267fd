using System.Diagnostics;
using System.Globalization;
using System.Text;
using Meridian.Server.Pricing;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;

namespace Meridian.Bench;

/// <summary>The data and optimization stages' tool work over 1,000,000 usage records held in memory (what the data
/// stage has after loading them), against a baseline in the same run: one pass that only sums cost and tokens, the
/// least any analysis must do. Target: the analysis within 2 s.</summary>
internal static class AnalysisBenchmark
{
    public static string Run(bool quick)
    {
        var count = quick ? 100_000 : 1_000_000;
        var catalog = PriceCatalogLoader.Load(new PricingOptions()).Catalog ?? throw new InvalidOperationException("The shipped price catalog did not load.");
        var records = Generate(count, catalog);
        var rounds = quick ? 2 : 5;

        var baseline = Time(rounds, () => SumPass(records));
        var analysis = Time(rounds, () => Analyse(records, catalog));
        var steps = new Dictionary<string, double>
        {
            [UsageQuery.Name] = Time(rounds, () => UsageQuery.Run(records, UsageFilter.All)),
            [CostBreakdown.Name] = Time(rounds, () => CostBreakdown.Run(records)),
            [LatencyProfile.Name] = Time(rounds, () => LatencyProfile.Run(records)),
            [CacheOpportunity.Name] = Time(rounds, () => CacheOpportunity.Run(records, catalog)),
        };

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"### Analysis of {count:N0} usage records (median of {rounds} rounds after a warm-up)").AppendLine();
        report.AppendLine("| work | ms | × baseline |").AppendLine("|---|---|---|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| baseline: one pass summing cost and tokens | {baseline:F1} | 1.0 |");
        foreach (var (name, ms) in steps)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {ms:F1} | {ms / baseline:F1} |");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"| whole analysis (the four above, baseline, savings, growth, plan) | {analysis:F1} | {analysis / baseline:F1} |").AppendLine();
        report.AppendLine(quick
            ? "Quick run on 100,000 records: a sanity check, not a measurement against the target."
            : string.Create(CultureInfo.InvariantCulture, $"Target ≤ 2,000 ms for 1,000,000 records: {(analysis <= 2000 ? "met" : "NOT met")} ({analysis:F0} ms)."));
        report.AppendLine("Command: `dotnet run -c Release --project bench/Meridian.Bench -- analysis`");
        return report.ToString();
    }

    /// <summary>What the data and optimization stages compute for one request.</summary>
    private static object Analyse(IReadOnlyList<UsageRecord> records, PriceCatalog catalog)
    {
        var usage = UsageQuery.Run(records, UsageFilter.All).Data;
        var costs = CostBreakdown.Run(records).Data;
        var latency = LatencyProfile.Run(records).Data;
        var cache = CacheOpportunity.Run(records, catalog).Data;
        var baseline = BaselineBuilder.Measured(usage, costs, latency, cache, catalog);
        var goals = new Goals(0.5, 1500, 3, 3);
        PriceLookup.Run(catalog, baseline.Models.Select(m => m.Model));
        var savings = SavingsEstimate.Run(baseline, catalog, goals).Data;
        GrowthProjection.Run(baseline, goals, savings.CombinedSavingsPct);
        return PlanBuilder.Run(savings.Strategies);
    }

    private static object SumPass(IReadOnlyList<UsageRecord> records)
    {
        decimal cost = 0;
        long tokens = 0;
        foreach (var r in records)
        {
            cost += r.CostUsd;
            tokens += r.InputTokens + r.OutputTokens;
        }

        return (cost, tokens);
    }

    private static double Time(int rounds, Func<object> work)
    {
        work();
        var samples = new Samples();
        for (var i = 0; i < rounds; i++)
        {
            var started = Stopwatch.GetTimestamp();
            GC.KeepAlive(work());
            samples.Add(started);
        }

        return samples.Percentile(50);
    }

    /// <summary>Thirty days of traffic over six models and eight features, with a daily cycle, a long latency tail,
    /// repeated prompts and errors. Fixed seed: every run analyses the same records.</summary>
    private static List<UsageRecord> Generate(int count, PriceCatalog catalog)
    {
        var random = new Random(42);
        string[] models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "claude-3-5-haiku", "gemini-2.5-flash", "llama-3.3-70b-instruct-turbo"];
        string[] features = ["support_bot", "search", "summariser", "nightly_report", "classifier", "agent", "extraction", "chat"];
        var prices = models.Select(m => catalog.Find(m) ?? throw new InvalidOperationException($"{m} is not in the catalog")).ToArray();
        var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var records = new List<UsageRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var m = random.Next(models.Length);
            var input = 200 + random.Next(4000);
            var output = 50 + random.Next(800);
            var latency = prices[m].TypicalLatencyMs * Math.Exp(random.NextDouble() * random.NextDouble() * 2);
            var hash = random.NextDouble() < 0.3 ? "p" + random.Next(5000).ToString(CultureInfo.InvariantCulture) : null;
            records.Add(new UsageRecord(
                start.AddSeconds(30.0 * 86_400 * i / count), models[m], prices[m].Provider, input, output, latency,
                prices[m].Cost(input, output), random.NextDouble() < 0.02, features[random.Next(features.Length)], hash));
        }

        return records;
    }
}
