using System.Text.Json;
using Meridian.Server.Llm;
using Meridian.Server.Runs;
using Meridian.Tests.Runs;

namespace Meridian.Tests.Llm;

/// <summary>Whole runs of the agents' pipeline on a real server, whose report is written through <see cref="LanguageModel"/>: a provider that
/// cannot be reached or never answers still gives a completed run, within the stage timeout, whose streamed
/// report says the built-in engine wrote it.</summary>
public sealed class FallbackRunTests
{
    [Fact]
    public async Task With_nothing_listening_at_the_provider_address_the_run_completes_through_the_builtin_engine()
    {
        // Everything else at its defaults: 30 s stages, 20 s attempts, two retries, 500 ms doubling delay.
        using var closed = LlmHarness.ClosedPort(out var port);
        var (events, run) = await RunAsync(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai",
            ["Llm:BaseUrl"] = $"http://127.0.0.1:{port}/v1",
            ["Llm:Model"] = "gpt-4o-mini",
        });

        run.Status.ShouldBe(RunStatus.Completed);
        var response = ShouldStreamTheReport(events);
        response.ShouldStartWith("> Meridian's built-in engine wrote this report: the configured language model (openai:gpt-4o-mini) failed: could not reach the provider");
        response.ShouldContain("## Key findings");
        response.ShouldEndWith("_Written by the built-in engine from this run's tool results._");
        var completed = events[^1];
        completed.GetProperty("usage").GetProperty("llm_calls").GetInt32().ShouldBe(3);
        completed.GetProperty("result").GetProperty("report").GetProperty("engine").GetString().ShouldBe("builtin");
        completed.GetProperty("result").GetProperty("report").GetProperty("fell_back").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_provider_that_never_answers_is_given_up_in_time_for_the_builtin_engine_to_finish_the_stage()
    {
        await using var fake = await FakeProvider.AlwaysAsync(Wire.Anthropic, new Hang());
        var settings = LlmHarness.Settings(Wire.Anthropic, fake.BaseUrl, timeoutSeconds: 3, maxRetries: 5);
        settings["Runs:StageTimeoutSeconds"] = "10";

        var (events, run) = await RunAsync(settings);

        // Six attempts would take 18 s; the call stops at four fifths of the 10 s stage, leaving time to write.
        run.Status.ShouldBe(RunStatus.Completed);
        var response = ShouldStreamTheReport(events);
        response.ShouldContain("built-in engine wrote this report");
        response.ShouldContain("ran out of time");
        fake.Requests.Count.ShouldBeLessThanOrEqualTo(4);
    }

    [Fact]
    public async Task A_working_provider_writes_the_report_and_its_usage_reaches_the_run()
    {
        await using var fake = await FakeProvider.StartAsync(Wire.OpenAi, new Answer(["## Summary", "\n\nModel prose."], InputTokens: 300, OutputTokens: 40));

        var (events, run) = await RunAsync(LlmHarness.Settings(Wire.OpenAi, fake.BaseUrl));

        run.Status.ShouldBe(RunStatus.Completed);
        ShouldStreamTheReport(events).ShouldBe("## Summary\n\nModel prose.");
        var usage = events[^1].GetProperty("usage");
        (usage.GetProperty("llm_calls").GetInt32(), usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64())
            .ShouldBe((1, 300L, 40L));
        events[^1].GetProperty("result").GetProperty("report").GetProperty("engine").GetString().ShouldBe("openai:test-model");
    }

    /// <summary>The report reached clients as deltas that add up to the final response, and its stage completed.</summary>
    private static string ShouldStreamTheReport(List<JsonElement> events)
    {
        RunInvariants.Violations(events).ShouldBeEmpty();
        var response = events[^1].GetProperty("response").GetString()!;
        var deltas = events.Where(e => e.GetProperty("type").GetString() == RunEventTypes.AgentResponseDelta).ToList();
        deltas.ShouldNotBeEmpty();
        deltas.ShouldAllBe(e => e.GetProperty("agent_name").GetString() == "reporting");
        string.Concat(deltas.Select(e => e.GetProperty("delta").GetString())).ShouldBe(response);
        var reporting = events.Single(e => e.GetProperty("type").GetString() == RunEventTypes.SubagentCompleted && e.GetProperty("agent_name").GetString() == "reporting");
        reporting.GetProperty("status").GetString().ShouldBe("completed");
        return response;
    }

    /// <summary>A run of the agents' pipeline, whose reporting stage writes through the configured model.</summary>
    private static async Task<(List<JsonElement> Events, RunRecord Run)> RunAsync(IDictionary<string, string?> settings)
    {
        await using var harness = await RuntimeHarness.StartAsync(pipeline: null, settings: settings);
        var runId = await harness.StartAsync("user_a", "We spend $5000/month on GPT-4; cut it 30%.");
        var run = await harness.EndedAsync(runId);
        return (await harness.EventsAsync(runId), run);
    }
}
