using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Meridian.Server.Llm;

/// <summary>The OpenAI chat-completions protocol (<c>POST {base}/chat/completions</c>), which OpenAI, Azure OpenAI's
/// v1 API, Gemini's OpenAI-compatible endpoint, Ollama, vLLM and LM Studio all speak. Streaming asks for the usage
/// chunk (<c>stream_options.include_usage</c>). Timeouts belong to the caller: cancel the token.</summary>
internal sealed class OpenAiChatClient(HttpClient http, LlmOptions options) : HttpChatClient(http, options, "openai")
{
    private readonly Uri _url = new(options.ResolvedBaseUrl, "chat/completions");

    // OpenAI's own API wants the newer name (its reasoning models refuse the old one); compatible servers know the old one.
    private readonly string _maxTokensField = options.ResolvedBaseUrl.Host == "api.openai.com" ? "max_completion_tokens" : "max_tokens";

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        using var document = await AnswerAsync(messages, chatOptions, cancellationToken);
        var root = document.RootElement;

        var choices = ProviderHttp.Property(root, "choices");
        if (choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            throw LlmCallException.Malformed("no choices");
        }

        var message = ProviderHttp.Property(choices[0], "message");
        var text = ProviderHttp.Text(message, "content") ?? throw LlmCallException.Malformed("the choice has no text content");
        var usage = ProviderHttp.Property(root, "usage");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ProviderHttp.Text(root, "model"),
            FinishReason = FinishReason(ProviderHttp.Text(choices[0], "finish_reason")),
            Usage = new UsageDetails
            {
                InputTokenCount = ProviderHttp.Tokens(usage, "prompt_tokens"),
                OutputTokenCount = ProviderHttp.Tokens(usage, "completion_tokens"),
            },
        };
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (_, data) in EventsAsync(messages, chatOptions, cancellationToken))
        {
            if (data is not { } chunk)
            {
                yield break; // [DONE]
            }

            if (ProviderHttp.ErrorIn(chunk, Options.ApiKey, retryable: true) is { } error)
            {
                throw error;
            }

            var model = ProviderHttp.Text(chunk, "model");
            var choices = ProviderHttp.Property(chunk, "choices");
            if (choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    if (ProviderHttp.Text(ProviderHttp.Property(choice, "delta"), "content") is { Length: > 0 } text)
                    {
                        yield return ProviderHttp.TextUpdate(text, model);
                    }

                    if (FinishReason(ProviderHttp.Text(choice, "finish_reason")) is { } finish)
                    {
                        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = finish, ModelId = model };
                    }
                }
            }
            else if (choices.ValueKind != JsonValueKind.Undefined)
            {
                throw LlmCallException.Malformed("choices is not a list");
            }

            if (ProviderHttp.Property(chunk, "usage") is { ValueKind: JsonValueKind.Object } usage)
            {
                yield return ProviderHttp.UsageUpdate(ProviderHttp.Tokens(usage, "prompt_tokens"), ProviderHttp.Tokens(usage, "completion_tokens"), model);
            }
        }

        throw ProviderHttp.Truncated();
    }

    protected override HttpRequestMessage Request(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, bool stream) =>
        Post(_url, w =>
        {
            w.WriteString("model", chatOptions?.ModelId ?? Options.Model);
            w.WriteStartArray("messages");
            foreach (var message in messages)
            {
                w.WriteStartObject();
                w.WriteString("role", message.Role.Value);
                w.WriteString("content", message.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber(_maxTokensField, chatOptions?.MaxOutputTokens ?? Options.MaxOutputTokens);
            if (chatOptions?.Temperature is { } temperature)
            {
                w.WriteNumber("temperature", temperature);
            }

            w.WriteBoolean("stream", stream);
            if (stream)
            {
                w.WriteStartObject("stream_options");
                w.WriteBoolean("include_usage", true);
                w.WriteEndObject();
            }
        }, r =>
        {
            if (!string.IsNullOrEmpty(Options.ApiKey))
            {
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
            }
        });

    private static ChatFinishReason? FinishReason(string? reason) => reason switch
    {
        null => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "content_filter" => ChatFinishReason.ContentFilter,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(reason),
    };
}
