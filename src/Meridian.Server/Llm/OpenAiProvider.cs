using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace Meridian.Server.Llm;

/// <summary>Any endpoint speaking OpenAI's chat-completions protocol, through the official <c>OpenAI</c> SDK and its
/// <see cref="IChatClient"/> (<c>Microsoft.Extensions.AI.OpenAI</c>), sending through the providers' HttpClient: the
/// SDK's own retries are off and its timeout is the call's total, since that client's pipeline and
/// <see cref="LanguageModel"/> time and retry (<see cref="ProviderResilience"/>).</summary>
internal static class OpenAiProvider
{
    public static IChatClient Create(HttpClient http, LlmOptions options, TimeSpan budget)
    {
        var sdk = new OpenAIClientOptions
        {
            // The SDK appends "/chat/completions" to the endpoint as it is.
            Endpoint = new Uri(options.ResolvedBaseUrl.AbsoluteUri.TrimEnd('/')),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // A bound that never ends a call before the total timeout does.
            NetworkTimeout = budget,
        };
#pragma warning disable OPENAI001 // Evaluation-only, and the SDK's only way to send no Authorization header.
        var chat = string.IsNullOrEmpty(options.ApiKey)
            ? new ChatClient(options.Model, new KeylessAuthenticationPolicy(), sdk)
            : new ChatClient(options.Model, new ApiKeyCredential(options.ApiKey), sdk);
#pragma warning restore OPENAI001
        var client = chat.AsIChatClient();
        // OpenAI's own API wants max_completion_tokens (its reasoning models refuse the old name), the only one the SDK
        // writes; compatible servers know max_tokens.
        return options.ResolvedBaseUrl.Host == "api.openai.com" ? client : new MaxTokensChatClient(client);
    }
}
