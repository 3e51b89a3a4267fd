using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Meridian.Server.Llm;

/// <summary>A provider spoken over HTTP: the protocol classes say how to ask and how to read the answer; sending,
/// failing and reading events is the same for all. Timeouts belong to the caller: it cancels the token.</summary>
internal abstract class HttpChatClient(HttpClient http, LlmOptions options, string provider) : IChatClient
{
    protected LlmOptions Options => options;

    public abstract Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default);

    public abstract IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(provider, options.ResolvedBaseUrl, options.Model)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The HttpClient belongs to the factory.
        GC.SuppressFinalize(this);
    }

    protected abstract HttpRequestMessage Request(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, bool stream);

    /// <summary>Asks without streaming; the answer's JSON, which is not an error object.</summary>
    protected async Task<JsonDocument> AnswerAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, CancellationToken cancellationToken)
    {
        using var request = Request(messages, chatOptions, stream: false);
        using var response = await ProviderHttp.SendAsync(http, request, options.ApiKey, cancellationToken);
        var document = await ProviderHttp.ReadJsonAsync(response, cancellationToken);
        if (ProviderHttp.ErrorIn(document.RootElement, options.ApiKey, retryable: false) is { } error)
        {
            document.Dispose();
            throw error;
        }

        return document;
    }

    /// <summary>Asks with streaming; the answer's events as they arrive.</summary>
    protected async IAsyncEnumerable<(string Type, JsonElement? Data)> EventsAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = Request(messages, chatOptions, stream: true);
        using var response = await ProviderHttp.SendAsync(http, request, options.ApiKey, cancellationToken);
        await foreach (var item in ProviderHttp.EventsAsync(response, cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>A JSON request body with the provider's authentication and the configured extra headers.</summary>
    protected HttpRequestMessage Post(Uri url, Action<Utf8JsonWriter> body, Action<HttpRequestMessage> authorize) =>
        ProviderHttp.Post(url, options, body, authorize);
}
