using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Meridian.Server.Pricing;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;

namespace Meridian.Tests.Agents;

/// <summary>The whole pipeline over real HTTP: what a user asking these questions gets back, and what the run's
/// events show.</summary>
public sealed partial class PipelineTests
{
    private static readonly string Alice = RuntimeHarness.Token("user_a");
    private static readonly string Bob = RuntimeHarness.Token("user_b");

    public static TheoryData<string> Requests =>
    [
        "Our support bot costs about $12k a month on a GPT-4-class model; how do we halve that?",
        "p95 latency of our summariser is 4.2 s, we need under 1.5 s",
        "Traffic will triple next quarter, what will our AI bill look like and how do we prepare?",
        "Which of our features could move to a cheaper model without hurting quality?",
        "We resend the same system prompt on every call, is caching worth it?",
        "hi",
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Without_usage_data_every_stage_streams_and_the_report_is_complete(string request)
    {
        await using var server = await StartAsync();

        var run = await ExecuteAsync(server, request, Alice);
        var events = await EventsAsync(server, run.Text("run_id"), Alice);

        RunInvariants.Violations(events).ShouldBeEmpty();
        var plan = run.GetProperty("result").GetProperty("triage").GetProperty("plan").EnumerateArray().Select(p => p.GetString()!).ToList();
        plan.ShouldContain(p => p == "data" || p == "data_helper");
        plan.ShouldContain("optimization");
        plan.ShouldContain("actions");
        foreach (var stage in plan.Prepend("triage").Append("reporting"))
        {
            Stage(events, stage, "subagent_completed").GetProperty("status").GetString().ShouldBe("completed", stage);
        }

        var response = run.Text("response");
        Deltas(events).ShouldBe(response);
        ShouldBeAFullReport(response);
        ShouldOnlyCiteRunFigures(response, request, events);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task With_usage_data_the_report_quotes_the_measured_figures_and_only_its_owner_sees_them(StorageProvider provider)
    {
        await using var server = await StartAsync(provider);
        var (imported, body) = await server.PostAsync("/api/workloads/synthetic", new { profile = "chatbot", days = 30, calls_per_day = 400, seed = 7 }, Alice);
        imported.IsSuccessStatusCode.ShouldBeTrue(body.ToString());

        foreach (var request in Requests)
        {
            var run = await ExecuteAsync(server, request, Alice);
            var events = await EventsAsync(server, run.Text("run_id"), Alice);
            var result = run.GetProperty("result");
            result.GetProperty("triage").GetProperty("data_sufficiency").GetString().ShouldBe("sufficient");
            result.GetProperty("data").GetProperty("measured").GetBoolean().ShouldBeTrue();
            new[] { "usage_query", "cost_breakdown", "latency_profile", "cache_opportunity", "price_lookup", "savings_estimate", "plan_builder" }.Except(ToolNames(events)).ShouldBeEmpty();

            var response = run.Text("response");
            ShouldBeAFullReport(response);
            ShouldOnlyCiteRunFigures(response, request, events);
            var monthly = Tool(events, "usage_query").GetProperty("data").GetProperty("monthly_cost_usd").GetDecimal();
            response.ShouldContain(Meridian.Server.Tools.Figures.Usd(monthly));
        }

        var bobs = await ExecuteAsync(server, "Our support bot costs about $12k a month; how do we halve that?", Bob);
        bobs.GetProperty("result").GetProperty("triage").GetProperty("usage_records").GetInt64().ShouldBe(0);
        bobs.GetProperty("result").GetProperty("data").GetProperty("measured").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task A_failed_middle_stage_is_recorded_and_the_report_still_answers()
    {
        // A catalog with no frontier model: estimating a baseline from the request fails in data and optimization.
        var catalog = new PriceCatalog(new DateOnly(2026, 1, 1), [new ModelPrice("small-model", "acme", 0.1m, 0.4m, 0, 0, 3, 400)]);
        await using var server = await StartAsync();
        server.Service<CurrentPrices>().Use(catalog);

        var run = await ExecuteAsync(server, "Our support bot costs about $12k a month on GPT-4; how do we halve that?", Alice);
        var events = await EventsAsync(server, run.Text("run_id"), Alice);

        run.Text("status").ShouldBe("completed");
        Stage(events, "data", "subagent_completed").GetProperty("status").GetString().ShouldBe("failed");
        Stage(events, "reporting", "subagent_completed").GetProperty("status").GetString().ShouldBe("completed");
        var response = run.Text("response");
        response.ShouldContain("## Key findings");
        response.ShouldContain("the stage failed: data");
        Deltas(events).ShouldBe(response);
    }

    private static void ShouldBeAFullReport(string response)
    {
        var sections = new[] { "## Summary", "## Key findings", "## Recommendations", "## Next steps" }.Select(s => response.IndexOf(s, StringComparison.Ordinal)).ToList();
        sections.ShouldAllBe(i => i >= 0, response);
        sections.ShouldBeInOrder(SortDirection.Ascending, response);
        response.ShouldContain("\n1) **", Case.Sensitive, response);
        Recommendation().Matches(response).ShouldAllBe(m => m.Value.Contains("saves"), response);
    }

    /// <summary>Every dollar amount and percentage in the report appears in a tool result of the run, in triage's
    /// reading of the request, or in the user's own words: no figure is made up.</summary>
    private static void ShouldOnlyCiteRunFigures(string response, string request, List<JsonElement> events)
    {
        var sources = request + string.Concat(events.Where(e => e.Text("type") is "tool_completed" or "agent_thinking").Select(e => e.GetRawText()));
        var figures = Figure().Matches(response).Select(m => m.Value).Distinct().ToList();
        figures.ShouldNotBeEmpty(response);
        figures.Where(f => f != "100%" && !sources.Contains(f, StringComparison.Ordinal)).ShouldBeEmpty(response);
    }

    private static async Task<ServerHarness> StartAsync(StorageProvider provider = StorageProvider.Sqlite, Action<IServiceCollection>? services = null)
    {
        var server = await ServerHarness.StartAsync(provider, new Dictionary<string, string?> { ["Auth:JwtSecret"] = AuthHarness.Secret }, services);
        return server;
    }

    private static async Task<JsonElement> ExecuteAsync(ServerHarness server, string message, string token)
    {
        var (response, body) = await server.PostAsync("/api/agents/execute", new { message }, token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.Text("status").ShouldBe("completed", body.ToString());
        return body;
    }

    private static async Task<List<JsonElement>> EventsAsync(ServerHarness server, string runId, string token)
    {
        var (_, body) = await server.SendAsync(HttpMethod.Get, $"/api/runs/{runId}/events", token: token);
        return body.GetProperty("events").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static JsonElement Stage(List<JsonElement> events, string agent, string type) =>
        events.Single(e => e.Text("type") == type && e.Text("agent_name") == agent);

    private static JsonElement Tool(List<JsonElement> events, string tool) =>
        events.First(e => e.Text("type") == "tool_completed" && e.Text("tool_name") == tool);

    private static List<string> ToolNames(List<JsonElement> events) =>
        events.Where(e => e.Text("type") == "tool_completed").Select(e => e.Text("tool_name")).Distinct().ToList();

    private static string Deltas(List<JsonElement> events) =>
        string.Concat(events.Where(e => e.Text("type") == RunEventTypes.AgentResponseDelta).Select(e => e.Text("delta")));

    [GeneratedRegex(@"\$[\d,]+(?:\.\d+)?|\d+(?:\.\d+)?%")]
    private static partial Regex Figure();

    [GeneratedRegex(@"^\d+\) .*$", RegexOptions.Multiline)]
    private static partial Regex Recommendation();
}
