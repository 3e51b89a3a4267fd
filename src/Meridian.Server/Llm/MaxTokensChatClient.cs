using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Meridian.Server.Llm;

/// <summary>Sends <see cref="ChatOptions.MaxOutputTokens"/> as <c>max_tokens</c>, the name OpenAI-compatible servers
/// (Ollama, vLLM, LM Studio, gateways) know, rather than the SDK's <c>max_completion_tokens</c>, which only newer ones
/// read. The SDK models no way to choose, so the field is set through its JSON patch
/// (docs/language-models.md#9-what-the-sdks-do-and-what-meridian-does-itself).</summary>
internal sealed class MaxTokensChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithMaxTokens(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithMaxTokens(options), cancellationToken);

    private static ChatOptions? WithMaxTokens(ChatOptions? options)
    {
        if (options?.MaxOutputTokens is not { } max)
        {
            return options;
        }

        var patched = options.Clone();
        patched.MaxOutputTokens = null;
        patched.RawRepresentationFactory = _ =>
        {
            var raw = new ChatCompletionOptions();
#pragma warning disable SCME0001 // Experimental, and the only way to send max_tokens.
            raw.Patch.Set("$.max_tokens"u8, max);
#pragma warning restore SCME0001
            return raw;
        };
        return patched;
    }
}
