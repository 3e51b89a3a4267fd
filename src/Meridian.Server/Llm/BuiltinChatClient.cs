using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Meridian.Server.Llm;

/// <summary>The built-in engine: offline and deterministic. It "answers" with the text the agents already wrote from
/// the tool results (passed as <see cref="TextKey"/> in <see cref="ChatOptions.AdditionalProperties"/>), streamed in
/// small pieces so that it reaches clients the way a model's answer does. No tokens, no cost.</summary>
internal sealed class BuiltinChatClient : IChatClient
{
    public const string TextKey = "meridian.builtin_text";
    public const string Engine = "builtin";

    /// <summary>A piece ends at a line break, or at the first space after this many characters.</summary>
    private const int PieceLength = 48;

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, TextOf(options)))
        {
            ModelId = Engine,
            FinishReason = ChatFinishReason.Stop,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var piece in Pieces(TextOf(options)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = Engine };
        }

        await Task.CompletedTask;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(Engine, defaultModelId: Engine)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>Consecutive pieces of <paramref name="text"/> that concatenate to exactly it.</summary>
    internal static IEnumerable<string> Pieces(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == ' ' && i + 1 - start >= PieceLength))
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static string TextOf(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(TextKey, out var value) == true && value is string text ? text : "";
}
