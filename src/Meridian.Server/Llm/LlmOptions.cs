namespace Meridian.Server.Llm;

/// <summary>Section <c>Llm</c>: which language model writes the prose of answers, and how hard to try.</summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    public const string Builtin = "builtin";
    public const string OpenAi = "openai";
    public const string Anthropic = "anthropic";

    /// <summary><c>builtin</c> (offline, deterministic), <c>openai</c> (any OpenAI-compatible endpoint) or <c>anthropic</c>.</summary>
    public string Provider { get; set; } = Builtin;

    /// <summary>The provider's API root; unset: <c>https://api.openai.com/v1</c> or <c>https://api.anthropic.com</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Sent by the provider's SDK as <c>Authorization: Bearer</c>; optional for local OpenAI-compatible servers
    /// (none sends no such header), required for anthropic.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model (or Azure deployment) name; required for openai and anthropic.</summary>
    public string? Model { get; set; }

    /// <summary>Extra request headers, for gateways in front of a provider.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Stream answers (SSE) so their text reaches clients as it is written; off: one request, one answer.</summary>
    public bool Streaming { get; set; } = true;

    /// <summary>How long one attempt may wait for the answer to start, or, while streaming, for its next piece.</summary>
    public int TimeoutSeconds { get; set; } = 20;

    /// <summary>All attempts of one call together, backoff included; 0: four fifths of <c>Runs:StageTimeoutSeconds</c>,
    /// so that the built-in engine still has time to write within the stage.</summary>
    public int TotalTimeoutSeconds { get; set; }

    /// <summary>Retries after a 429, a 5xx, a timeout or a connection failure.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; each further retry doubles it. A longer <c>Retry-After</c> is honoured up to
    /// <see cref="LanguageModel.MaxRetryAfter"/>.</summary>
    public int RetryDelayMilliseconds { get; set; } = 500;

    /// <summary>Upper bound on the tokens of one answer.</summary>
    public int MaxOutputTokens { get; set; } = 1500;

    internal string ProviderName => Provider.Trim().ToLowerInvariant();

    internal Uri ResolvedBaseUrl => new((BaseUrl is { Length: > 0 } url ? url : ProviderName == Anthropic
        ? "https://api.anthropic.com"
        : "https://api.openai.com/v1").TrimEnd('/') + "/");
}
