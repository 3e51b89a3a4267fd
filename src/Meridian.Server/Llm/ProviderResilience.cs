using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Meridian.Server.Llm;

/// <summary>The resilience pipeline of the providers' HttpClient, which both SDKs send through (their own retries are
/// off): each attempt gets <c>Llm:TimeoutSeconds</c> for its answer to start; a 408, 409, 429 or 5xx, a connection
/// that failed and an attempt that timed out are retried after <see cref="LlmCall.Delay"/>, while the call has
/// attempts and time left (docs/language-models.md#4-retries-timeouts-and-the-fallback).</summary>
internal static class ProviderResilience
{
    public const string PipelineName = "provider";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<LanguageModel>>();
        builder
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // MayRetry bounds the attempts of the whole call; Polly needs a bound of at least one.
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                ShouldHandle = args => ValueTask.FromResult(
                    Transient(args.Outcome) && LlmCall.Current?.MayRetry(DelayAfter(args.Outcome)) == true),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayAfter(args.Outcome)),
                OnRetry = args =>
                {
                    if (LlmCall.Current is { } call)
                    {
                        logger.Retrying(call.Engine, call.Agent, call.Attempts, call.LastFailure ?? "", args.RetryDelay.TotalMilliseconds);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
    }

    private static bool Transient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } response && ProviderErrors.Transient(response.StatusCode));

    private static TimeSpan DelayAfter(Outcome<HttpResponseMessage> outcome) =>
        LlmCall.Current?.Delay(ProviderErrors.RetryAfter(outcome.Result)) ?? TimeSpan.Zero;
}
