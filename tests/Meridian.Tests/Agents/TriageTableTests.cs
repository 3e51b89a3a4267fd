using Meridian.Server.Agents;
using Meridian.Server.Agents.Triage;

namespace Meridian.Tests.Agents;

/// <summary>Triage's reading of varied requests: each row names what must be extracted; whatever a row leaves out is
/// not checked, except the category, which every row states.</summary>
public sealed class TriageTableTests
{
    public sealed record Expect(
        string Category,
        decimal? Monthly = null,
        double? Pct = null,
        double? CurrentMs = null,
        double? TargetMs = null,
        string? Percentile = null,
        double? Multiplier = null,
        string? Model = null,
        string? Provider = null,
        int? RangeDays = null,
        double? CallsPerMonth = null);

    public static TheoryData<string, Expect> Requests => new()
    {
        { "Our support bot costs about $12k a month on a GPT-4-class model; how do we halve that?", new("cost", Monthly: 12_000, Pct: 50, Model: "gpt-4", Provider: "openai") },
        { "p95 latency of our summariser is 4.2 s, we need under 1.5 s", new("latency", CurrentMs: 4200, TargetMs: 1500, Percentile: "p95") },
        { "Traffic will triple next quarter, what will our AI bill look like and how do we prepare?", new("capacity", Multiplier: 3, RangeDays: 90) },
        { "Which of our features could move to a cheaper model without hurting quality?", new("model_selection") },
        { "We resend the same system prompt on every call, is caching worth it?", new("caching") },
        { "hi", new("general") },
        { "We spend $5000/month on GPT-4 calls; cut it 30% without losing quality", new("cost", Monthly: 5000, Pct: 30, Model: "gpt-4") },
        { "Our annual OpenAI bill is $240,000. Where is the money going?", new("cost", Monthly: 20_000, Provider: "openai") },
        { "We pay 1,500 USD per week for Claude 3.5 Sonnet", new("cost", Monthly: 1500m * 30 / 7, Model: "claude-3.5-sonnet", Provider: "anthropic") },
        { "Spend is $300 a day on gemini 1.5 pro, too expensive", new("cost", Monthly: 9000, Model: "gemini-1.5-pro", Provider: "google") },
        { "We run 2 million requests a month through gpt-4o-mini and pay $900", new("cost", Monthly: 900, Model: "gpt-4o-mini", CallsPerMonth: 2_000_000) },
        { "50k calls per day on llama 3.1 70b hosted on Together", new("general", Model: "llama-3.1-70b", Provider: "together", CallsPerMonth: 1_500_000) },
        { "Median latency is 800ms but p99 is 9 seconds, how do we fix the tail?", new("latency", CurrentMs: 800, Percentile: "median") },
        { "Our chatbot takes 3s to answer; target is 1 s at p95", new("latency", CurrentMs: 3000, TargetMs: 1000) },
        { "Time to first token is 2.5 seconds on Anthropic, can streaming help?", new("latency", CurrentMs: 2500, Provider: "anthropic") },
        { "We expect 5x growth after the launch in the next 6 months", new("capacity", Multiplier: 5, RangeDays: 180) },
        { "Usage doubles every quarter, how do we keep costs flat?", new("capacity", Multiplier: 2) },
        { "Traffic will grow 40% next month; will we hit rate limits?", new("capacity", Multiplier: 1.4, Pct: 40, RangeDays: 30) },
        { "Should we switch to Mistral Large or stay on GPT-4o?", new("model_selection", Model: "gpt-4o", Provider: "mistral") },
        { "Is Claude Haiku good enough for classification instead of Opus?", new("general", Model: "claude-haiku", Provider: "anthropic") },
        { "Which model is right for extraction, gpt-4.1 or o3-mini?", new("model_selection", Model: "o3-mini", Provider: "openai") },
        { "Can we downgrade the summarizer to a smaller model?", new("model_selection") },
        { "Would prompt caching save money on our RAG pipeline? 60% of the prompt is the same context.", new("caching", Pct: 60) },
        { "We send duplicate prompts a lot; should we cache responses?", new("caching") },
        { "Cut our LLM budget by 25 percent this year", new("cost", Pct: 25, RangeDays: 365) },
        { "Look at the last 30 days and tell me what is expensive", new("cost", RangeDays: 30) },
        { "How did our costs develop over the past 3 months?", new("cost", RangeDays: 90) },
        { "Monthly spend: €8,000 on Azure OpenAI", new("cost", Monthly: 8000, Provider: "azure") },
        { "We pay £2.5k monthly for deepseek v3 on Fireworks", new("cost", Monthly: 2500, Model: "deepseek-v3", Provider: "fireworks") },
        { "Our bill went from $10k to $14k in two months", new("cost", Monthly: 14_000) },
        { "Batch summarisation of 200k documents a week costs $4,000 per week", new("cost", Monthly: 4000m * 30 / 7, CallsPerMonth: 0) },
        { "Our agent makes 12 tool calls per request and each takes 400 ms", new("latency", CurrentMs: 400) },
        { "Keep p95 below 2 seconds while traffic doubles", new("latency", TargetMs: 2000, Percentile: "p95", Multiplier: 2) },
        { "We are on GPT-3.5 Turbo and want better quality for the same price", new("cost", Model: "gpt-3.5-turbo") },
        { "Compare qwen 2.5 72b and llama 3 8b for our classifier", new("general", Model: "qwen-2.5-72b") },
        { "What does 10 million tokens a day on sonnet cost us?", new("cost", Model: "sonnet") },
        { "Expect a 10x spike during Black Friday; can the stack take it?", new("capacity", Multiplier: 10) },
        { "We need to reduce spend by 40% within 2 months", new("cost", Pct: 40) },
        { "Our yearly budget is 1.2 million dollars for AI", new("cost", Monthly: 100_000) },
        { "Requests time out after 30 seconds on gemini flash", new("latency", CurrentMs: 30_000, Model: "gemini-flash", Provider: "google") },
        { "thanks!", new("general") },
        { "How much would we save with the OpenAI batch API on nightly jobs costing $3k a month?", new("cost", Monthly: 3000, Provider: "openai") },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Reads_the_request(string request, Expect expect)
    {
        var triage = TriageAgent.Assess(request, usageRecords: 0, AgentCatalog.Supervisor);
        var e = triage.Entities;

        triage.Category.ShouldBe(expect.Category, request);
        if (expect.Monthly is { } monthly)
        {
            e.MonthlySpend.ShouldNotBeNull(request);
            Math.Round(e.MonthlySpend.Value, 2).ShouldBe(Math.Round(monthly, 2), request);
        }

        if (expect.Pct is { } pct)
        {
            e.Percentages.ShouldContain(pct, request);
        }

        if (expect.CurrentMs is { } current)
        {
            e.CurrentLatency.ShouldNotBeNull(request).Milliseconds.ShouldBe(current, request);
        }

        if (expect.TargetMs is { } target)
        {
            e.TargetLatency.ShouldNotBeNull(request).Milliseconds.ShouldBe(target, request);
        }

        if (expect.Percentile is { } percentile)
        {
            e.Latencies[0].Percentile.ShouldBe(percentile, request);
        }

        if (expect.Multiplier is { } multiplier)
        {
            e.GrowthMultiplier.ShouldBe(multiplier, request);
        }

        if (expect.Model is { } model)
        {
            e.Models.ShouldContain(model, request);
        }

        if (expect.Provider is { } provider)
        {
            e.Providers.ShouldContain(provider, request);
        }

        if (expect.RangeDays is { } days)
        {
            e.TimeRanges.Select(r => r.Days).ShouldContain(days, request);
        }

        if (expect.CallsPerMonth is { } calls)
        {
            (e.MonthlyCalls ?? 0).ShouldBe(calls, request);
        }
    }

    [Fact]
    public void The_table_has_at_least_forty_requests() => Requests.Count.ShouldBeGreaterThanOrEqualTo(40);

    [Theory]
    [InlineData("hi", 0, "insufficient")]
    [InlineData("Our support bot costs about $12k a month on GPT-4", 0, "partial")]
    [InlineData("We pay $900 for 2 million requests a month", 0, "sufficient")]
    [InlineData("hi", 5, "sufficient")]
    public void Judges_data_sufficiency(string request, long records, string expected) =>
        TriageAgent.Assess(request, records, AgentCatalog.Supervisor).DataSufficiency.ShouldBe(expected);

    [Fact]
    public void Plans_data_helper_when_there_is_nothing_to_measure_and_data_otherwise()
    {
        TriageAgent.Assess("hi", 0, AgentCatalog.Supervisor).Plan.ShouldBe(["data_helper", "optimization", "actions"]);
        TriageAgent.Assess("hi", 3, AgentCatalog.Supervisor).Plan.ShouldBe(["data", "optimization", "actions"]);
        TriageAgent.Assess("hi", 3, AgentCatalog.Optimization).Plan.ShouldBe(["optimization"]);
    }
}
