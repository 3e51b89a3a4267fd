using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Meridian.Server.Llm;

/// <summary>Anthropic's Messages protocol (<c>POST {base}/v1/messages</c> with <c>x-api-key</c> and
/// <c>anthropic-version</c>). Streamed usage is reported as increments (input tokens with <c>message_start</c>,
/// output tokens as <c>message_delta</c> counts them), so adding up the usage updates gives the call's usage.
/// Timeouts belong to the caller: cancel the token.</summary>
internal sealed class AnthropicChatClient(HttpClient http, LlmOptions options) : HttpChatClient(http, options, "anthropic")
{
    public const string ApiVersion = "2023-06-01";

    // The base URL is the API root; one that already ends in /v1 is accepted too.
    private readonly Uri _url = new(options.ResolvedBaseUrl, options.ResolvedBaseUrl.AbsolutePath.EndsWith("/v1/", StringComparison.Ordinal) ? "messages" : "v1/messages");

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        using var document = await AnswerAsync(messages, chatOptions, cancellationToken);
        var root = document.RootElement;

        var content = ProviderHttp.Property(root, "content");
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw LlmCallException.Malformed("no content");
        }

        var text = new StringBuilder();
        foreach (var block in content.EnumerateArray())
        {
            if (ProviderHttp.Text(block, "type") == "text")
            {
                text.Append(ProviderHttp.Text(block, "text"));
            }
        }

        var usage = ProviderHttp.Property(root, "usage");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString()))
        {
            ModelId = ProviderHttp.Text(root, "model"),
            FinishReason = FinishReason(ProviderHttp.Text(root, "stop_reason")),
            Usage = new UsageDetails
            {
                InputTokenCount = ProviderHttp.Tokens(usage, "input_tokens"),
                OutputTokenCount = ProviderHttp.Tokens(usage, "output_tokens"),
            },
        };
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? model = null;
        long input = 0, output = 0;
        await foreach (var (type, data) in EventsAsync(messages, chatOptions, cancellationToken))
        {
            var e = data ?? throw LlmCallException.Malformed("an event without data");
            switch (type)
            {
                case "message_start":
                    var message = ProviderHttp.Property(e, "message");
                    model = ProviderHttp.Text(message, "model");
                    var started = ProviderHttp.Property(message, "usage");
                    input = ProviderHttp.Tokens(started, "input_tokens");
                    output = ProviderHttp.Tokens(started, "output_tokens");
                    yield return ProviderHttp.UsageUpdate(input, output, model);
                    break;
                case "content_block_delta":
                    var delta = ProviderHttp.Property(e, "delta");
                    if (ProviderHttp.Text(delta, "type") == "text_delta" && ProviderHttp.Text(delta, "text") is { Length: > 0 } text)
                    {
                        yield return ProviderHttp.TextUpdate(text, model);
                    }

                    break;
                case "message_delta":
                    // message_delta's counts are running totals for the message: report what they add.
                    var usage = ProviderHttp.Property(e, "usage");
                    var totalInput = Math.Max(input, ProviderHttp.Tokens(usage, "input_tokens"));
                    var totalOutput = Math.Max(output, ProviderHttp.Tokens(usage, "output_tokens"));
                    yield return ProviderHttp.UsageUpdate(totalInput - input, totalOutput - output, model);
                    (input, output) = (totalInput, totalOutput);
                    if (FinishReason(ProviderHttp.Text(ProviderHttp.Property(e, "delta"), "stop_reason")) is { } finish)
                    {
                        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = finish, ModelId = model };
                    }

                    break;
                case "message_stop":
                    yield break;
                case "error":
                    // Mid-stream errors are the provider's own trouble (overloaded_error, api_error): worth another try.
                    throw ProviderHttp.ErrorIn(e, Options.ApiKey, retryable: true) ?? LlmCallException.Malformed("an error event without an error");
            }
        }

        throw ProviderHttp.Truncated();
    }

    protected override HttpRequestMessage Request(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, bool stream) =>
        Post(_url, w =>
        {
            w.WriteString("model", chatOptions?.ModelId ?? Options.Model);
            w.WriteNumber("max_tokens", chatOptions?.MaxOutputTokens ?? Options.MaxOutputTokens);
            var system = string.Join("\n\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
            if (system.Length > 0)
            {
                w.WriteString("system", system);
            }

            w.WriteStartArray("messages");
            foreach (var message in messages.Where(m => m.Role != ChatRole.System))
            {
                w.WriteStartObject();
                w.WriteString("role", message.Role == ChatRole.Assistant ? "assistant" : "user");
                w.WriteString("content", message.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (chatOptions?.Temperature is { } temperature)
            {
                w.WriteNumber("temperature", temperature);
            }

            w.WriteBoolean("stream", stream);
        }, r =>
        {
            r.Headers.TryAddWithoutValidation("x-api-key", Options.ApiKey);
            r.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        });

    private static ChatFinishReason? FinishReason(string? reason) => reason switch
    {
        null => null,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "refusal" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };
}
