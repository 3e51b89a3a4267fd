namespace Meridian.Server.Llm;

/// <summary>A provider call that failed. <see cref="Retryable"/>: worth another attempt (429, 5xx, a broken
/// connection); otherwise the built-in engine takes over at once. <see cref="Message"/> is short and safe to show
/// to users: it never holds the API key or the provider's raw answer.</summary>
public sealed class LlmCallException(string message, bool retryable, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;

    /// <summary>The provider's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static LlmCallException Malformed(string what, Exception? inner = null) =>
        new($"malformed answer: {what}", retryable: false, inner: inner);
}
