using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;

namespace Meridian.Server.Llm;

/// <summary>Anthropic's Messages API through the official <c>Anthropic</c> SDK and its <see cref="IChatClient"/>,
/// sending through the providers' HttpClient: the SDK's own retries are off and its timeout is the call's total, since
/// that client's pipeline and <see cref="LanguageModel"/> time and retry (<see cref="ProviderResilience"/>).</summary>
internal static class AnthropicProvider
{
    public static IChatClient Create(HttpClient http, LlmOptions options, TimeSpan budget)
    {
        var client = new AnthropicClient(new ClientOptions
        {
            HttpClient = http,
            BaseUrl = ApiRoot(options.ResolvedBaseUrl),
            // A credential passed is the only one used: nothing is read from ANTHROPIC_* variables or credential files.
            ApiKey = options.ApiKey,
            MaxRetries = 0,
            // A bound that never ends a call before the total timeout does (it is also sent, as X-Stainless-Timeout).
            Timeout = budget,
        });
        return new AnthropicStartUsageChatClient(client.AsIChatClient(options.Model, options.MaxOutputTokens));
    }

    /// <summary>The API root, to which the SDK appends <c>/v1/messages</c>; a base URL that already ends in /v1 is accepted too.</summary>
    private static string ApiRoot(Uri baseUrl)
    {
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        return root.EndsWith("/v1", StringComparison.Ordinal) ? root[..^3] : root;
    }
}
