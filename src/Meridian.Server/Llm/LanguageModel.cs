using System.Text;
using Meridian.Server.Pricing;
using Meridian.Server.Runs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Meridian.Server.Llm;

/// <summary>Writes the prose of a stage with the configured provider and streams it as it comes. A provider that
/// fails is retried (429, 5xx, timeouts, broken connections: with doubling delays, honouring <c>Retry-After</c>);
/// when it still fails, or fails in a way retrying cannot fix, the built-in engine writes the text instead and the
/// text says so. Whatever happens, the answer's text is exactly what was streamed. Cancelling the caller's token
/// cancels the call: there is no fallback for a run that was stopped.
/// <para>The providers are the official SDKs' <see cref="IChatClient"/>s; requests are retried and timed by the
/// resilience pipeline of the HttpClient they send through (<see cref="ProviderResilience"/>). What that pipeline
/// cannot see is done here, in a pipeline of its own: the total timeout, which also bounds reading the answer, the
/// silences inside an answer the SDK is reading, and another attempt when an answer failed after it started but before
/// any of its text was streamed (docs/language-models.md#9-what-the-sdks-do-and-what-meridian-does-itself).</para></summary>
public sealed class LanguageModel
{
    public const string HttpClientName = "Meridian.Llm";

    /// <summary>The longest <c>Retry-After</c> waited for; a provider asking for more is waited on this long.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private static readonly BuiltinChatClient Builtin = new();
    private readonly LlmOptions _options;
    private readonly IChatClient? _provider;
    private readonly ResiliencePipeline _call;
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
            LlmOptions.OpenAi => OpenAiProvider.Create(http.CreateClient(HttpClientName), _options, _budget),
            LlmOptions.Anthropic => AnthropicProvider.Create(http.CreateClient(HttpClientName), _options, _budget),
            _ => null,
        };
        Engine = _provider is null ? BuiltinChatClient.Engine : $"{Provider}:{_options.Model}";
        _call = CallPipeline();
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

        var tally = new CallTally();
        var call = new LlmCall(Engine, request.Agent, _options, _budget, _clock, cancellationToken);
        // The HTTP handlers under the SDK find the call here (this async method's context: the caller's is untouched).
        LlmCall.Current = call;
        string reason;
        try
        {
            await _call.ExecuteAsync(token => AttemptAsync(_provider, call, request, transcript, tally, token), cancellationToken);
            var usage = tally.Usage(call.Attempts, _services.GetService<PriceCatalog>(), _options.Model);
            _logger.Written(Engine, request.Agent, transcript.Text.Length, call.Attempts, usage.InputTokens, usage.OutputTokens);
            return new LlmAnswer(transcript.Text, Engine, false, null, usage) { ResponseModel = tally.Model ?? _options.Model };
        }
        catch (LlmCallException ex)
        {
            reason = ex.Message + (call.OutOfTimeForRetry ? ", and the call ran out of time for another attempt" : "");
        }
        catch (TimeoutRejectedException) when (!cancellationToken.IsCancellationRequested)
        {
            reason = AttemptFailures.OutOfTime(call); // during the delay before another attempt
        }

        reason += call.Attempts > 1 ? $" (after {call.Attempts} attempts)" : "";
        return await FallBackAsync(request, transcript, tally.Usage(call.Attempts, _services.GetService<PriceCatalog>(), _options.Model), reason, cancellationToken);
    }

    /// <summary>One call of the SDK (which may send several requests); throws <see cref="LlmCallException"/> when it
    /// wrote no text.</summary>
    private async ValueTask AttemptAsync(
        IChatClient provider, LlmCall call, LlmRequest request, Transcript transcript, CallTally tally, CancellationToken token)
    {
        using var silence = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _clock);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token, silence.Token);
        call.BeginSdkCall(silence, token);
        var reading = new AttemptReading();
        var options = new ChatOptions { ModelId = _options.Model, MaxOutputTokens = _options.MaxOutputTokens };
        var outcome = "cancelled";
        try
        {
            await ReadAsync(provider, request, options, reading, transcript, silence, attempt.Token);
            outcome = "success";
        }
        catch (Exception ex) when (ex != transcript.SinkFailure && !call.Run.IsCancellationRequested)
        {
            var failure = AttemptFailures.Classify(ex, call, silence, reading.Written, _options);
            if (call.AnsweredAttemptStarted is not null)
            {
                outcome = ex is OperationCanceledException ? "timeout" : "error";
            }

            if (failure.Message != call.LastFailure)
            {
                // Failures of requests the provider did not answer were logged by ProviderAttemptHandler.
                _logger.AttemptFailed(Engine, request.Agent, call.Attempts, failure.Message);
            }

            // Text already streamed cannot be taken back: another answer would repeat it.
            throw failure.Retryable && transcript.Text.Length > 0 ? new LlmCallException(failure.Message, retryable: false, inner: failure) : failure;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex != transcript.SinkFailure)
        {
            // The run was cancelled while the call failed: what the caller must see is the cancellation.
            throw new OperationCanceledException("The run was cancelled.", ex, call.Run);
        }
        finally
        {
            tally.Add(reading);
            if (call.AnsweredAttemptStarted is { } started)
            {
                _metrics.Call(Provider, outcome, _clock.GetElapsedTime(started).TotalSeconds, reading.InputTokens, reading.OutputTokens);
            }
        }
    }

    private async Task ReadAsync(
        IChatClient provider, LlmRequest request, ChatOptions options, AttemptReading reading, Transcript transcript,
        CancellationTokenSource silence, CancellationToken token)
    {
        if (_options.Streaming)
        {
            await foreach (var update in provider.GetStreamingResponseAsync(Messages(request), options, token))
            {
                // The timeout is for silence: an answer that keeps coming is not cut (the total bounds it).
                silence.CancelAfter(_attemptTimeout);
                if (reading.Add(update) is { Length: > 0 } text)
                {
                    await transcript.WriteAsync(text);
                }
            }

            if (!reading.Finished)
            {
                throw AttemptFailures.Truncated();
            }
        }
        else
        {
            var text = reading.Add(await provider.GetResponseAsync(Messages(request), options, token));
            if (!string.IsNullOrWhiteSpace(text))
            {
                await transcript.WriteAsync(text);
            }
        }

        if (!reading.HasText)
        {
            throw LlmCallException.Malformed("the answer has no text");
        }
    }

    /// <summary>The total timeout around every attempt, and another attempt for an answer that failed after it started
    /// (before that, the HTTP pipeline retries), while the call has attempts and time left.</summary>
    private ResiliencePipeline CallPipeline() => new ResiliencePipelineBuilder { TimeProvider = _clock }
        .AddTimeout(_budget)
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is LlmCallException { Retryable: true } && LlmCall.Current is { } call && call.MayRetry(call.Delay(null))),
            DelayGenerator = args => ValueTask.FromResult(LlmCall.Current?.Delay(null)),
            OnRetry = args =>
            {
                if (LlmCall.Current is { } call)
                {
                    _logger.Retrying(call.Engine, call.Agent, call.Attempts, args.Outcome.Exception?.Message ?? "", args.RetryDelay.TotalMilliseconds);
                }

                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private async Task<LlmAnswer> FallBackAsync(LlmRequest request, Transcript transcript, RunUsage usage, string reason, CancellationToken cancellationToken)
    {
        _logger.FellBack(Engine, request.Agent, reason);
        _metrics.FellBack(Provider);
        await transcript.WriteAsync(transcript.Text.Length == 0
            ? $"> Meridian's built-in engine wrote this report: the configured language model ({Engine}) failed: {reason}.\n\n"
            : $"\n\n> The configured language model ({Engine}) stopped mid-answer: {reason}. Meridian's built-in engine wrote the report below instead.\n\n");
        await WriteBuiltinAsync(request, transcript, cancellationToken);
        return new LlmAnswer(transcript.Text, BuiltinChatClient.Engine, true, reason, usage);
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
}
