namespace Meridian.Server.Llm;

/// <summary>One <see cref="LanguageModel.WriteAsync"/> call, as the HTTP handlers under the SDKs see it. Those handlers
/// run inside the SDK's <see cref="HttpClient"/>, which the call's state cannot be passed through, so it travels with
/// the execution context (<see cref="Current"/>). It counts the attempts of the whole call (each one is a provider
/// call in the run's usage), keeps why the last one failed, and decides whether another may start
/// (docs/language-models.md#4-retries-timeouts-and-the-fallback).</summary>
internal sealed class LlmCall(string engine, string agent, LlmOptions options, TimeSpan budget, TimeProvider clock, CancellationToken run)
{
    private static readonly AsyncLocal<LlmCall?> Ambient = new();
    private readonly long _started = clock.GetTimestamp();
    private int _attempts;

    public static LlmCall? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    public string Engine => engine;

    public string Agent => agent;

    /// <summary>All attempts together, delays included (<c>Llm:TotalTimeoutSeconds</c>).</summary>
    public TimeSpan Budget => budget;

    /// <summary>The caller's token: when it is cancelled the run was stopped, which is no failure of the provider.</summary>
    public CancellationToken Run => run;

    /// <summary>The token of the current SDK call (the run's and the total timeout's): cancelled when either ends.</summary>
    public CancellationToken Token { get; set; }

    /// <summary>Requests sent to the provider so far, failed ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Why the last request failed, short and without the key; null while none has.</summary>
    public string? LastFailure { get; set; }

    /// <summary>The last failure could have been retried, but the total timeout left no room for another attempt.</summary>
    public bool OutOfTimeForRetry { get; private set; }

    /// <summary>When the request that the provider answered was sent; null until one was answered in this SDK call.</summary>
    public long? AnsweredAttemptStarted { get; private set; }

    /// <summary>Armed when the answer starts: from then on the SDK reads the body outside the HttpClient's handlers, so
    /// silences in it are timed here (<see cref="LanguageModel"/> re-arms it with every piece).</summary>
    public CancellationTokenSource? Silence { get; private set; }

    public int BeginAttempt() => Interlocked.Increment(ref _attempts);

    /// <summary>A new SDK call (the first, or a retry of an answer that failed after it started).</summary>
    public void BeginSdkCall(CancellationTokenSource silence, CancellationToken token)
    {
        (Silence, Token, AnsweredAttemptStarted) = (silence, token, null);
    }

    public void Answered(long attemptStarted)
    {
        AnsweredAttemptStarted = attemptStarted;
        Silence?.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
    }

    /// <summary>The delay before the next attempt: <c>Llm:RetryDelayMilliseconds</c>, doubling with each attempt made, or
    /// a longer <c>Retry-After</c> of the provider's, up to <see cref="LanguageModel.MaxRetryAfter"/>.</summary>
    public TimeSpan Delay(TimeSpan? retryAfter)
    {
        var backoff = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds * Math.Pow(2, Math.Max(0, Attempts - 1)));
        return retryAfter is { } after && after > backoff ? (after < LanguageModel.MaxRetryAfter ? after : LanguageModel.MaxRetryAfter) : backoff;
    }

    /// <summary>Whether another attempt may start after <paramref name="delay"/>: attempts are left and the total
    /// timeout would not end before it starts.</summary>
    public bool MayRetry(TimeSpan delay)
    {
        if (Attempts > options.MaxRetries)
        {
            return false;
        }

        OutOfTimeForRetry = clock.GetElapsedTime(_started) + delay >= budget;
        return !OutOfTimeForRetry;
    }
}
