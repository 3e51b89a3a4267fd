using Anthropic.Exceptions;

namespace Meridian.Server.Llm;

/// <summary>Turns whatever an SDK call threw into an <see cref="LlmCallException"/> with a short reason that is safe to
/// show. Failures before the answer started were described, and retried, by the HTTP pipeline
/// (<see cref="ProviderAttemptHandler"/>, <see cref="ProviderResilience"/>); the rest happened while the SDK read the
/// answer, where only <see cref="LanguageModel"/> can retry them (docs/language-models.md#9-what-the-sdks-do-and-what-meridian-does-itself).
/// The SDKs' exception messages are never used: they may quote the provider's answer.</summary>
internal static class AttemptFailures
{
    public static LlmCallException Classify(Exception ex, LlmCall call, CancellationTokenSource silence, int written, LlmOptions options)
    {
        var timeout = options.TimeoutSeconds;
        return ex switch
        {
            OperationCanceledException when silence.IsCancellationRequested => new(
                written > 0 ? $"the answer stalled for {timeout} s" : $"no answer within {timeout} s", retryable: true),
            // Once the total timeout has fired, that is why the call ended, whatever the SDK made of the cancellation.
            _ when call.Token.IsCancellationRequested => new(OutOfTime(call), retryable: false),
            _ when call.AnsweredAttemptStarted is null => new(call.LastFailure ?? $"unexpected failure ({ex.GetType().Name})", retryable: false),
            LlmCallException failure => failure,
            _ when Broken(ex) => new("the connection broke mid-answer", retryable: true, inner: ex),
            AnthropicSseException => new("the provider reported an error mid-answer", retryable: true),
            _ => LlmCallException.Malformed($"the answer could not be read ({ex.GetType().Name})", ex),
        };
    }

    /// <summary>The total timeout (<c>Llm:TotalTimeoutSeconds</c>) ended the call, after the last failure if there was one.</summary>
    public static string OutOfTime(LlmCall call) =>
        (call.LastFailure is { } last ? $"{last}, then " : "") + $"the call ran out of time ({call.Budget.TotalSeconds:0.#} s for all attempts)";

    /// <summary>A stream that ended before the provider said why: cut short, though the SDKs end it quietly.</summary>
    public static LlmCallException Truncated() => new("the answer stream ended before it was complete", retryable: true);

    private static bool Broken(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is IOException or HttpRequestException)
            {
                return true;
            }
        }

        return false;
    }
}
