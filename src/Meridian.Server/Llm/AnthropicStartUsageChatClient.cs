using System.Runtime.CompilerServices;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Meridian.Server.Llm;

/// <summary>Reports the usage of Anthropic's <c>message_start</c> as it arrives. The SDK's chat client reports usage
/// only once the stream has ended, so an answer that stalls or breaks mid-way would count no tokens although the
/// provider counted (and bills) its input (docs/language-models.md#9-what-the-sdks-do-and-what-meridian-does-itself). Anthropic's counts are running
/// totals, and <see cref="LanguageModel"/> keeps the largest, so the later report does not add to this one.</summary>
internal sealed class AnthropicStartUsageChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            if (update.RawRepresentation is RawMessageStreamEvent e && e.TryPickStart(out var start) && start.Message.Usage is { } usage)
            {
                update.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = usage.InputTokens + (usage.CacheReadInputTokens ?? 0) + (usage.CacheCreationInputTokens ?? 0),
                    CachedInputTokenCount = usage.CacheReadInputTokens,
                    OutputTokenCount = usage.OutputTokens,
                }));
            }

            yield return update;
        }
    }
}
