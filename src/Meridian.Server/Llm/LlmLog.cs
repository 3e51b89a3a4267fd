namespace Meridian.Server.Llm;

/// <summary>The language-model log events (docs/language-models.md#7-watching-it), written under the category of
/// <see cref="LanguageModel"/> by it and by the HTTP handlers its providers' SDKs send through. Never the key or the
/// prompt, and never an SDK's exception, whose message may quote the provider's answer.</summary>
internal static partial class LlmLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Language model {Engine} failed for {Agent} (attempt {Attempt}): {Reason}")]
    public static partial void AttemptFailed(this ILogger logger, string engine, string agent, int attempt, string reason);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Retrying language model {Engine} for {Agent} after attempt {Attempt} ({Reason}) in {DelayMs} ms")]
    public static partial void Retrying(this ILogger logger, string engine, string agent, int attempt, string reason, double delayMs);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Language model {Engine} failed for {Agent}; the built-in engine wrote the text instead: {Reason}")]
    public static partial void FellBack(this ILogger logger, string engine, string agent, string reason);

    [LoggerMessage(EventId = 803, Level = LogLevel.Debug, Message = "Language model {Engine} wrote {Characters} characters for {Agent} in {Attempts} attempt(s), {InputTokens} tokens in, {OutputTokens} out")]
    public static partial void Written(this ILogger logger, string engine, string agent, int characters, int attempts, long inputTokens, long outputTokens);
}
