using System.Text;
using Meridian.Server.Pricing;
using Meridian.Server.Runs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Llm;

/// <summary>Writes the prose of a stage with the configured provider and streams it as it comes. A provider that
/// fails is retried (429, 5xx, timeouts, broken connections: with doubling delays, honouring <c>Retry-After</c>);
/// when it still fails, or fails in a way retrying cannot fix, the built-in engine writes the text instead and the
/// text says so. Whatever happens, the answer's text is exactly what was streamed. Cancelling the caller's token
/// cancels the call: there is no fallback for a run that was stopped.</summary>
public sealed partial class LanguageModel
{
    public const string HttpClientName = "Meridian.Llm";

    /// <summary>The longest <c>Retry-After</c> waited for; a provider asking for more is waited on this long.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly LlmOptions _options;
    private readonly IChatClient? _provider;
    private static readonly BuiltinChatClient Builtin = new();
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeSpan _budget;
    private readonly IServiceProvider _services;
    private readonly LlmMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<LanguageModel> _logger;

    public LanguageModel(
        IOptions<LlmOptions> options, IOptions<RunOptions> runs, IHttpClientFactory http, IServiceProvider services,
        LlmMetrics metrics, TimeProvider clock, ILogger<LanguageModel> logger)
    {
        _options = options.Value;
        _services = services;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _attemptTimeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
        _budget = _options.TotalTimeoutSeconds > 0
            ? TimeSpan.FromSeconds(_options.TotalTimeoutSeconds)
            : TimeSpan.FromSeconds(runs.Value.StageTimeoutSeconds * 0.8);
        Provider = _options.ProviderName;
        _provider = Provider switch
        {
            LlmOptions.OpenAi => new OpenAiChatClient(http.CreateClient(HttpClientName), _options),
            LlmOptions.Anthropic => new AnthropicChatClient(http.CreateClient(HttpClientName), _options),
            _ => null,
        };
        Engine = _provider is null ? BuiltinChatClient.Engine : $"{Provider}:{_options.Model}";
    }

    /// <summary>The configured provider: <c>builtin</c>, <c>openai</c> or <c>anthropic</c>.</summary>
    public string Provider { get; }

    /// <summary>The configured engine, as answers name it when it wrote them: <c>builtin</c> or <c>provider:model</c>.</summary>
    public string Engine { get; }

    /// <summary>Writes the text for <paramref name="request"/>, passing each piece to <paramref name="onDelta"/> as it
    /// arrives. Exceptions of <paramref name="onDelta"/> and cancellation of <paramref name="cancellationToken"/>
    /// propagate; provider failures never do.</summary>
    public async Task<LlmAnswer> WriteAsync(LlmRequest request, Func<string, CancellationToken, Task> onDelta, CancellationToken cancellationToken)
    {
        using var span = ModelCallSpan.Start(Provider, _provider is null ? Engine : _options.Model ?? Engine, request.Agent);
        var answer = await WriteWithProviderAsync(request, onDelta, cancellationToken);
        ModelCallSpan.Finish(span, answer);
        return answer;
    }

    private async Task<LlmAnswer> WriteWithProviderAsync(LlmRequest request, Func<string, CancellationToken, Task> onDelta, CancellationToken cancellationToken)
    {
        var transcript = new Transcript(onDelta, cancellationToken);
        if (_provider is null)
        {
            await WriteBuiltinAsync(request, transcript, cancellationToken);
            return new LlmAnswer(transcript.Text, BuiltinChatClient.Engine, false, null, RunUsage.None);
        }

        var tally = new Tally();
        var started = _clock.GetTimestamp();
        using var budget = new CancellationTokenSource(_budget, _clock);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        string reason;
        for (var attempt = 1; ; attempt++)
        {
            var failure = await AttemptAsync(_provider, request, transcript, tally, budget, call.Token, cancellationToken);
            if (failure is null)
            {
                var usage = tally.Usage(_services.GetService<PriceCatalog>(), _options.Model);
                LogWritten(Engine, request.Agent, transcript.Text.Length, attempt, usage.InputTokens, usage.OutputTokens);
                return new LlmAnswer(transcript.Text, Engine, false, null, usage) { ResponseModel = tally.Model ?? _options.Model };
            }

            var backoff = TimeSpan.FromMilliseconds(_options.RetryDelayMilliseconds * Math.Pow(2, attempt - 1));
            var delay = failure.RetryAfter is { } after && after > backoff ? (after < MaxRetryAfter ? after : MaxRetryAfter) : backoff;
            var attempts = attempt == 1 ? "" : $" (after {attempt} attempts)";
            if (!failure.Retryable || attempt > _options.MaxRetries || transcript.Text.Length > 0)
            {
                reason = failure.Reason + attempts;
                break;
            }

            if (_clock.GetElapsedTime(started) + delay >= _budget)
            {
                reason = $"{failure.Reason}, and the call ran out of time for another attempt{attempts}";
                break;
            }

            LogRetrying(Engine, request.Agent, attempt, failure.Reason, delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, _clock, call.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"{failure.Reason}, then the call ran out of time{attempts}";
                break;
            }
        }

        return await FallBackAsync(request, transcript, tally, reason, cancellationToken);
    }

    /// <summary>One provider call. Returns null when it wrote a text, otherwise why it failed.</summary>
    private async Task<Failure?> AttemptAsync(
        IChatClient provider, LlmRequest request, Transcript transcript, Tally tally, CancellationTokenSource budget,
        CancellationToken call, CancellationToken run)
    {
        tally.Calls++;
        var started = _clock.GetTimestamp();
        using var timer = new CancellationTokenSource(_attemptTimeout, _clock);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(call, timer.Token);
        var messages = Messages(request);
        var options = new ChatOptions { ModelId = _options.Model, MaxOutputTokens = _options.MaxOutputTokens };
        var (input, output) = (0L, 0L);
        var written = new StringBuilder();
        var outcome = "cancelled";
        try
        {
            if (_options.Streaming)
            {
                await foreach (var update in provider.GetStreamingResponseAsync(messages, options, attempt.Token))
                {
                    // The timeout is for silence: an answer that keeps coming is not cut (the budget bounds it).
                    timer.CancelAfter(_attemptTimeout);
                    tally.Model ??= update.ModelId;
                    foreach (var usage in update.Contents.OfType<UsageContent>())
                    {
                        input += usage.Details.InputTokenCount ?? 0;
                        output += usage.Details.OutputTokenCount ?? 0;
                    }

                    if (update.Text is { Length: > 0 } text)
                    {
                        written.Append(text);
                        await transcript.WriteAsync(text);
                    }
                }
            }
            else
            {
                var response = await provider.GetResponseAsync(messages, options, attempt.Token);
                tally.Model ??= response.ModelId;
                (input, output) = (response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
                if (!string.IsNullOrWhiteSpace(response.Text))
                {
                    written.Append(response.Text);
                    await transcript.WriteAsync(response.Text);
                }
            }

            if (string.IsNullOrWhiteSpace(written.ToString()))
            {
                throw LlmCallException.Malformed("the answer has no text");
            }

            outcome = "success";
            return null;
        }
        catch (Exception ex) when (ex != transcript.SinkFailure && !run.IsCancellationRequested)
        {
            var failure = ex switch
            {
                LlmCallException e => new Failure(e.Message, e.Retryable, e.RetryAfter),
                OperationCanceledException when budget.IsCancellationRequested =>
                    new Failure($"the call ran out of time ({_budget.TotalSeconds:0.#} s for all attempts)", false, null),
                OperationCanceledException when written.Length > 0 =>
                    new Failure($"the answer stalled for {_attemptTimeout.TotalSeconds:0.#} s", true, null),
                OperationCanceledException => new Failure($"no answer within {_attemptTimeout.TotalSeconds:0.#} s", true, null),
                HttpRequestException or IOException => new Failure("the connection failed", true, null),
                _ => new Failure($"unexpected failure ({ex.GetType().Name})", false, null),
            };
            outcome = ex is OperationCanceledException ? "timeout" : "error";
            LogAttemptFailed(ex is LlmCallException or OperationCanceledException ? null : ex, Engine, request.Agent, tally.Calls, failure.Reason);
            return failure;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex != transcript.SinkFailure)
        {
            // The run was cancelled while the call failed: what the caller must see is the cancellation.
            throw new OperationCanceledException("The run was cancelled.", ex, run);
        }
        finally
        {
            (tally.InputTokens, tally.OutputTokens) = (tally.InputTokens + input, tally.OutputTokens + output);
            _metrics.Call(Provider, outcome, _clock.GetElapsedTime(started).TotalSeconds, input, output);
        }
    }

    private async Task<LlmAnswer> FallBackAsync(LlmRequest request, Transcript transcript, Tally tally, string reason, CancellationToken cancellationToken)
    {
        LogFellBack(Engine, request.Agent, reason);
        _metrics.FellBack(Provider);
        await transcript.WriteAsync(transcript.Text.Length == 0
            ? $"> Meridian's built-in engine wrote this report: the configured language model ({Engine}) failed: {reason}.\n\n"
            : $"\n\n> The configured language model ({Engine}) stopped mid-answer: {reason}. Meridian's built-in engine wrote the report below instead.\n\n");
        await WriteBuiltinAsync(request, transcript, cancellationToken);
        return new LlmAnswer(transcript.Text, BuiltinChatClient.Engine, true, reason, tally.Usage(_services.GetService<PriceCatalog>(), _options.Model));
    }

    private static async Task WriteBuiltinAsync(LlmRequest request, Transcript transcript, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [BuiltinChatClient.TextKey] = request.BuiltinText } };
        await foreach (var update in Builtin.GetStreamingResponseAsync(Messages(request), options, cancellationToken))
        {
            await transcript.WriteAsync(update.Text);
        }
    }

    private static ChatMessage[] Messages(LlmRequest request) =>
        [new(ChatRole.System, request.SystemPrompt), new(ChatRole.User, request.UserPrompt)];

    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Language model {Engine} failed for {Agent} (attempt {Attempt}): {Reason}")]
    private partial void LogAttemptFailed(Exception? exception, string engine, string agent, int attempt, string reason);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Retrying language model {Engine} for {Agent} after attempt {Attempt} ({Reason}) in {DelayMs} ms")]
    private partial void LogRetrying(string engine, string agent, int attempt, string reason, double delayMs);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Language model {Engine} failed for {Agent}; the built-in engine wrote the text instead: {Reason}")]
    private partial void LogFellBack(string engine, string agent, string reason);

    [LoggerMessage(EventId = 803, Level = LogLevel.Debug, Message = "Language model {Engine} wrote {Characters} characters for {Agent} in {Attempts} attempt(s), {InputTokens} tokens in, {OutputTokens} out")]
    private partial void LogWritten(string engine, string agent, int characters, int attempts, long inputTokens, long outputTokens);

    private sealed record Failure(string Reason, bool Retryable, TimeSpan? RetryAfter);

    /// <summary>Everything streamed so far; <see cref="Text"/> is by construction what the caller received.</summary>
    private sealed class Transcript(Func<string, CancellationToken, Task> onDelta, CancellationToken cancellationToken)
    {
        private readonly StringBuilder _text = new();

        public string Text => _text.ToString();

        /// <summary>What the caller's delta handler threw: its own failure, which propagates and is never retried.</summary>
        public Exception? SinkFailure { get; private set; }

        public async Task WriteAsync(string delta)
        {
            try
            {
                await onDelta(delta, cancellationToken);
            }
            catch (Exception ex)
            {
                SinkFailure = ex;
                throw;
            }

            _text.Append(delta);
        }
    }

    /// <summary>Calls and tokens of every attempt, failed ones included; priced at the end.</summary>
    private sealed class Tally
    {
        public int Calls { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        /// <summary>The model the provider said answered (a dated name, or the model behind an Azure deployment).</summary>
        public string? Model { get; set; }

        public RunUsage Usage(PriceCatalog? catalog, string? configured)
        {
            var price = (Model is { Length: > 0 } reported ? catalog?.Find(reported) : null)
                ?? (configured is { Length: > 0 } ? catalog?.Find(configured) : null);
            return new RunUsage(Calls, InputTokens, OutputTokens, price?.Cost(InputTokens, OutputTokens) ?? 0m);
        }
    }
}
