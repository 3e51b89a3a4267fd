using Meridian.Server.Runs;
using Meridian.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Meridian.Tests.Llm;

/// <summary>Each provider against a local fake server speaking its HTTP protocol: answers, streaming, usage and
/// cost; and every way a provider fails ending in the built-in engine's text, which then says so.</summary>
public sealed class ProviderTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(Wire.OpenAi)]
    [InlineData(Wire.Anthropic)]
    public async Task A_normal_answer_is_the_text_with_its_usage_and_cost(Wire wire)
    {
        var answer = new Answer(["Spend is $5,000 a month. ", "Routing saves $1,500."]);
        await using var fake = await FakeProvider.StartAsync(wire, answer);
        await using var kit = LlmHarness.For(fake, streaming: false);

        var written = await kit.WriteAsync();

        written.Answer.Text.ShouldBe(answer.Text);
        written.Deltas.ShouldBe([answer.Text]);
        written.Answer.Engine.ShouldBe($"{(wire == Wire.OpenAi ? "openai" : "anthropic")}:test-model");
        written.Answer.FellBack.ShouldBeFalse();
        written.Answer.FallbackReason.ShouldBeNull();
        written.Answer.Usage.ShouldBe(new RunUsage(1, 1000, 500, 0.006m));
        var request = fake.Requests.ShouldHaveSingleItem();
        request.Streaming.ShouldBeFalse();
        request.Body.GetProperty("model").GetString().ShouldBe("test-model");
        ShouldCarryThePromptsAndKey(wire, request);
    }

    [Theory]
    [InlineData(Wire.OpenAi)]
    [InlineData(Wire.Anthropic)]
    public async Task A_streamed_answer_arrives_piece_by_piece_in_order_with_usage_summed_and_priced(Wire wire)
    {
        string[] pieces = ["## Summary", "\n\nSpend is ", "$5,000", " a month", ".", "\n"];
        await using var fake = await FakeProvider.StartAsync(wire, new Answer(pieces, InputTokens: 2000, OutputTokens: 250));
        await using var kit = LlmHarness.For(fake);

        var written = await kit.WriteAsync();

        written.Deltas.ShouldBe(pieces);
        written.ShouldBeWhatWasStreamed();
        written.Answer.FellBack.ShouldBeFalse();
        written.Answer.Usage.ShouldBe(new RunUsage(1, 2000, 250, (2000 * 2m + 250 * 8m) / 1_000_000m));
        var request = fake.Requests.ShouldHaveSingleItem();
        request.Streaming.ShouldBeTrue();
        if (wire == Wire.OpenAi)
        {
            request.Body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().ShouldBeTrue();
        }

        ShouldCarryThePromptsAndKey(wire, request);
    }

    [Theory]
    [InlineData(Wire.OpenAi, true)]
    [InlineData(Wire.OpenAi, false)]
    [InlineData(Wire.Anthropic, true)]
    [InlineData(Wire.Anthropic, false)]
    public async Task A_429_is_retried_after_the_Retry_After_the_provider_asked_for(Wire wire, bool streaming)
    {
        var answer = new Answer(["Second ", "time lucky."]);
        await using var fake = await FakeProvider.StartAsync(wire, new Fail(429, "Rate limit reached", RetryAfter: "1"), answer);
        await using var kit = LlmHarness.For(fake, streaming);

        var written = await kit.WriteAsync();

        written.Answer.Text.ShouldBe(answer.Text);
        written.ShouldBeWhatWasStreamed();
        written.Answer.FellBack.ShouldBeFalse();
        written.Answer.Usage.LlmCalls.ShouldBe(2);
        written.Answer.Usage.InputTokens.ShouldBe(1000);
        var requests = fake.Requests.ToArray();
        requests.Length.ShouldBe(2);
        // The retry delay is 10 ms; only Retry-After makes the second request wait a second.
        (requests[1].At - requests[0].At).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    [Theory]
    [InlineData(Wire.OpenAi, true)]
    [InlineData(Wire.OpenAi, false)]
    [InlineData(Wire.Anthropic, true)]
    [InlineData(Wire.Anthropic, false)]
    public async Task A_provider_that_always_answers_500_is_retried_then_the_builtin_engine_writes_and_says_so(Wire wire, bool streaming)
    {
        await using var fake = await FakeProvider.AlwaysAsync(wire, new Fail(500, "The server had an error"));
        await using var kit = LlmHarness.For(fake, streaming, maxRetries: 2);

        var written = await kit.WriteAsync();

        fake.Requests.Count.ShouldBe(3);
        ShouldHaveFallenBack(written, "HTTP 500");
        written.Answer.FallbackReason!.ShouldContain("The server had an error");
        written.Answer.FallbackReason!.ShouldContain("after 3 attempts");
        written.Answer.Usage.ShouldBe(new RunUsage(3, 0, 0, 0m));
    }

    [Theory]
    [InlineData(Wire.OpenAi, true)]
    [InlineData(Wire.OpenAi, false)]
    [InlineData(Wire.Anthropic, true)]
    [InlineData(Wire.Anthropic, false)]
    public async Task A_provider_that_hangs_is_cut_at_the_timeout_retried_and_replaced(Wire wire, bool streaming)
    {
        await using var fake = await FakeProvider.AlwaysAsync(wire, new Hang());
        await using var kit = LlmHarness.For(fake, streaming, timeoutSeconds: 1, maxRetries: 1);

        var written = await kit.WriteAsync();

        fake.Requests.Count.ShouldBe(2);
        ShouldHaveFallenBack(written, "no answer within 1 s");
        written.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2) + Slack);
    }

    [Theory]
    [InlineData(Wire.OpenAi)]
    [InlineData(Wire.Anthropic)]
    public async Task A_stream_that_stalls_midway_is_cut_and_the_text_goes_on_with_a_notice_and_the_builtin_text(Wire wire)
    {
        await using var fake = await FakeProvider.AlwaysAsync(wire, new StallAfter("## Summary from the model"));
        await using var kit = LlmHarness.For(fake, timeoutSeconds: 1);

        var written = await kit.WriteAsync();

        // Text was already streamed, so a retry would repeat it: the built-in engine takes over at once.
        written.ShouldBeWhatWasStreamed();
        written.Deltas[0].ShouldBe("## Summary from the model");
        written.Answer.Text.Split("## Summary from the model").Length.ShouldBe(2, "the model's piece is streamed once");
        written.Answer.FellBack.ShouldBeTrue();
        written.Answer.Engine.ShouldBe("builtin");
        written.Answer.Text.ShouldContain("stopped mid-answer");
        written.Answer.Text.ShouldContain("built-in engine");
        written.Answer.Text.ShouldEndWith(LlmHarness.Request.BuiltinText);
        if (wire == Wire.Anthropic)
        {
            written.Answer.Usage.InputTokens.ShouldBeGreaterThanOrEqualTo(1000, "message_start reported the input tokens before the stall");
        }
    }

    [Theory]
    [InlineData(Wire.OpenAi, true, "{\"choices\": [")]
    [InlineData(Wire.OpenAi, false, "{\"choices\": [")]
    [InlineData(Wire.OpenAi, false, "{\"choices\": \"none\"}")]
    [InlineData(Wire.OpenAi, false, "<html>Bad gateway</html>")]
    [InlineData(Wire.Anthropic, true, "not json at all")]
    [InlineData(Wire.Anthropic, false, "{\"content\": ")]
    [InlineData(Wire.Anthropic, false, "{\"id\": \"msg_1\"}")]
    public async Task Malformed_output_is_a_failure_and_the_builtin_engine_writes(Wire wire, bool streaming, string body)
    {
        await using var fake = await FakeProvider.AlwaysAsync(wire, new Garbage(body));
        await using var kit = LlmHarness.For(fake, streaming);

        var written = await kit.WriteAsync();

        ShouldHaveFallenBack(written, "malformed answer");
    }

    [Theory]
    [InlineData(Wire.OpenAi, true)]
    [InlineData(Wire.OpenAi, false)]
    [InlineData(Wire.Anthropic, true)]
    [InlineData(Wire.Anthropic, false)]
    public async Task An_empty_answer_is_a_failure(Wire wire, bool streaming)
    {
        await using var fake = await FakeProvider.AlwaysAsync(wire, new Answer([]));
        await using var kit = LlmHarness.For(fake, streaming);

        var written = await kit.WriteAsync();

        ShouldHaveFallenBack(written, "the answer has no text");
        written.Answer.Usage.InputTokens.ShouldBeGreaterThan(0, "tokens of a failed call still count");
    }

    [Theory]
    [InlineData(Wire.OpenAi)]
    [InlineData(Wire.Anthropic)]
    public async Task A_stream_cut_before_its_end_marker_is_retried(Wire wire)
    {
        await using var fake = await FakeProvider.StartAsync(wire, new Garbage("{}"), new Answer(["Complete."]));
        await using var kit = LlmHarness.For(fake);

        var written = await kit.WriteAsync();

        written.Answer.Text.ShouldBe("Complete.");
        written.Answer.FellBack.ShouldBeFalse();
        fake.Requests.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(Wire.OpenAi)]
    [InlineData(Wire.Anthropic)]
    public async Task Nothing_listening_at_the_address_falls_back_quickly(Wire wire)
    {
        using var closed = LlmHarness.ClosedPort(out var port);
        var baseUrl = $"http://127.0.0.1:{port}" + (wire == Wire.OpenAi ? "/v1" : "");
        await using var kit = LlmHarness.Create(LlmHarness.Settings(wire, baseUrl, timeoutSeconds: 5));

        var written = await kit.WriteAsync();

        ShouldHaveFallenBack(written, "could not reach the provider");
        written.Answer.Usage.LlmCalls.ShouldBe(3);
        written.Elapsed.ShouldBeLessThan(Slack, "a refused connection is not a timeout");
    }

    [Theory]
    [InlineData(Wire.OpenAi, 401)]
    [InlineData(Wire.OpenAi, 403)]
    [InlineData(Wire.OpenAi, 400)]
    [InlineData(Wire.Anthropic, 401)]
    [InlineData(Wire.Anthropic, 400)]
    public async Task A_refusal_is_not_retried_and_the_key_is_never_repeated(Wire wire, int status)
    {
        await using var fake = await FakeProvider.AlwaysAsync(wire, new Fail(status, $"Incorrect API key provided: {LlmHarness.ApiKey}"));
        var logs = new LogRecorder(LogLevel.Trace);
        await using var kit = LlmHarness.Create(LlmHarness.Settings(wire, fake.BaseUrl), LlmHarness.Catalog, logs);

        var written = await kit.WriteAsync();

        fake.Requests.Count.ShouldBe(1);
        ShouldHaveFallenBack(written, $"HTTP {status}");
        written.Answer.Text.ShouldNotContain(LlmHarness.ApiKey);
        if (status == 401)
        {
            written.Answer.FallbackReason!.ShouldContain("Llm:ApiKey");
        }

        ShouldNotHaveLoggedTheKey(logs);
    }

    [Theory]
    [InlineData(Wire.OpenAi)]
    [InlineData(Wire.Anthropic)]
    public async Task A_5xx_that_quotes_the_key_is_retried_and_neither_the_answer_nor_the_log_repeats_it(Wire wire)
    {
        var logs = new LogRecorder(LogLevel.Trace);
        await using var fake = await FakeProvider.AlwaysAsync(wire, new Fail(503, $"Overloaded for key {LlmHarness.ApiKey}"));
        await using var kit = LlmHarness.Create(LlmHarness.Settings(wire, fake.BaseUrl, maxRetries: 1), LlmHarness.Catalog, logs);

        var written = await kit.WriteAsync();

        fake.Requests.Count.ShouldBe(2);
        ShouldHaveFallenBack(written, "HTTP 503");
        written.Answer.FallbackReason!.ShouldContain("Overloaded for key [key]");
        logs.Entries.ShouldContain(e => e.EventId.Id == 801, "the retry is logged");
        ShouldNotHaveLoggedTheKey(logs);
    }

    [Theory]
    [InlineData(Wire.OpenAi)]
    [InlineData(Wire.Anthropic)]
    public async Task Cancelling_the_run_cancels_the_call_without_a_fallback(Wire wire)
    {
        await using var fake = await FakeProvider.AlwaysAsync(wire, new Hang());
        await using var kit = LlmHarness.For(fake, timeoutSeconds: 30);
        using var run = new CancellationTokenSource();
        var deltas = new List<string>();

        var call = kit.Model.WriteAsync(LlmHarness.Request, (delta, _) =>
        {
            deltas.Add(delta);
            return Task.CompletedTask;
        }, run.Token);
        await WaitUntilAsync(() => !fake.Requests.IsEmpty);
        await run.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call.WaitAsync(Slack, TestContext.Current.CancellationToken));
        deltas.ShouldBeEmpty();
        fake.Requests.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(Wire.OpenAi)]
    [InlineData(Wire.Anthropic)]
    public async Task A_failing_delta_handler_propagates_and_is_not_retried(Wire wire)
    {
        await using var fake = await FakeProvider.StartAsync(wire);
        await using var kit = LlmHarness.For(fake);

        var thrown = await Should.ThrowAsync<RunEndedException>(() =>
            kit.Model.WriteAsync(LlmHarness.Request, (_, _) => throw new RunEndedException("run_x"), TestContext.Current.CancellationToken));

        thrown.Message.ShouldContain("run_x");
        fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task All_attempts_together_stop_at_the_total_timeout()
    {
        await using var fake = await FakeProvider.AlwaysAsync(Wire.OpenAi, new Hang());
        var settings = LlmHarness.Settings(Wire.OpenAi, fake.BaseUrl, timeoutSeconds: 3, maxRetries: 5);
        settings["Llm:TotalTimeoutSeconds"] = "4";
        await using var kit = LlmHarness.Create(settings);

        var written = await kit.WriteAsync();

        // Six three-second attempts do not fit in four seconds. The total ends the second attempt two seconds before
        // that attempt's own timeout would, so which of the two fires first does not depend on the machine's load.
        ShouldHaveFallenBack(written, "ran out of time");
        fake.Requests.Count.ShouldBeLessThanOrEqualTo(2);
        written.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4) + Slack);
    }

    [Fact]
    public async Task Configured_headers_are_sent_and_the_openai_key_is_optional()
    {
        await using var fake = await FakeProvider.StartAsync(Wire.OpenAi);
        var settings = LlmHarness.Settings(Wire.OpenAi, fake.BaseUrl);
        settings["Llm:ApiKey"] = null;
        settings["Llm:Headers:X-Gateway-Tenant"] = "team-a";
        await using var kit = LlmHarness.Create(settings);

        var written = await kit.WriteAsync();

        written.Answer.FellBack.ShouldBeFalse();
        var request = fake.Requests.ShouldHaveSingleItem();
        request.Headers["x-gateway-tenant"].ShouldBe("team-a");
        request.Headers.ShouldNotContainKey("authorization");
    }

    private static void ShouldHaveFallenBack(Written written, string reason)
    {
        written.ShouldBeWhatWasStreamed();
        written.Answer.FellBack.ShouldBeTrue();
        written.Answer.Engine.ShouldBe("builtin");
        written.Answer.FallbackReason.ShouldNotBeNull().ShouldContain(reason);
        written.Answer.Text.ShouldStartWith("> Meridian's built-in engine wrote this report: the configured language model");
        written.Answer.Text.ShouldContain(reason);
        written.Answer.Text.ShouldEndWith(LlmHarness.Request.BuiltinText);
        written.Answer.Text.ShouldNotContain(LlmHarness.ApiKey);
    }

    /// <summary>Every attempt's failure and the fallback were logged, and no entry holds the key.</summary>
    private static void ShouldNotHaveLoggedTheKey(LogRecorder logs)
    {
        var entries = logs.Entries.ToList();
        entries.ShouldContain(e => e.EventId.Id == 800, "each failed attempt is logged");
        entries.ShouldContain(e => e.EventId.Id == 802, "the fallback is logged");
        entries.ShouldAllBe(e => !e.Message.Contains(LlmHarness.ApiKey) && (e.Exception == null || !e.Exception.ToString().Contains(LlmHarness.ApiKey)));
    }

    private static void ShouldCarryThePromptsAndKey(Wire wire, ReceivedRequest request)
    {
        var body = request.Body;
        if (wire == Wire.OpenAi)
        {
            request.Headers["authorization"].ShouldBe($"Bearer {LlmHarness.ApiKey}");
            var messages = body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), ReceivedRequest.Text(m.GetProperty("content")))).ToList();
            messages.ShouldBe([("system", LlmHarness.Request.SystemPrompt), ("user", LlmHarness.Request.UserPrompt)]);
            body.GetProperty("max_tokens").GetInt32().ShouldBe(1500);
        }
        else
        {
            // The official SDK sends the key as a bearer token and names the API version it was built for.
            request.Headers["authorization"].ShouldBe($"Bearer {LlmHarness.ApiKey}");
            request.Headers["anthropic-version"].ShouldMatch(@"^\d{4}-\d{2}-\d{2}$");
            ReceivedRequest.Text(body.GetProperty("system")).ShouldBe(LlmHarness.Request.SystemPrompt);
            var messages = body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), ReceivedRequest.Text(m.GetProperty("content")))).ToList();
            messages.ShouldBe([("user", LlmHarness.Request.UserPrompt)]);
            body.GetProperty("max_tokens").GetInt32().ShouldBe(1500);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Slack);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
