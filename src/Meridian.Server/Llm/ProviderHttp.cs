using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Meridian.Server.Llm;

/// <summary>What the provider clients share: sending a request and turning every way it can fail into an
/// <see cref="LlmCallException"/> with a short, key-free reason; reading JSON and server-sent events from answers.</summary>
internal static class ProviderHttp
{
    private const int MaxErrorDetail = 160;

    public static HttpRequestMessage Post(Uri url, LlmOptions options, Action<Utf8JsonWriter> body, Action<HttpRequestMessage> authorize)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.ContentType = new("application/json");
        authorize(request);
        foreach (var (name, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>Sends and returns a successful answer with only its headers read; anything else throws.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string? apiKey, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new LlmCallException($"could not reach the provider: {Shorten(ex.Message, apiKey)}", retryable: true, inner: ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            // An authentication answer may quote (part of) the key: its text is not repeated.
            var detail = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? " (check Llm:ApiKey)"
                : await ErrorDetailAsync(response, apiKey, cancellationToken);
            throw new LlmCallException(
                $"HTTP {status} {response.ReasonPhrase}{detail}".TrimEnd(),
                retryable: status is 408 or 409 or 429 or >= 500,
                RetryAfter(response));
        }
    }

    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw LlmCallException.Malformed("the body is not JSON", ex);
        }
        catch (IOException ex)
        {
            throw Broken(ex);
        }
    }

    /// <summary>The answer's server-sent events, each with its data parsed as JSON (<c>[DONE]</c> as null).</summary>
    public static async IAsyncEnumerable<(string Type, JsonElement? Data)> EventsAsync(
        HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw Broken(ex);
        }

        await using var _ = stream;
        await using var items = SseParser.Create(stream).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await items.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (IOException ex)
            {
                throw Broken(ex);
            }

            var item = items.Current;
            if (item.Data.Trim() == "[DONE]")
            {
                yield return (item.EventType, null);
                continue;
            }

            JsonElement data;
            try
            {
                using var document = JsonDocument.Parse(item.Data);
                data = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw LlmCallException.Malformed($"an event of type '{item.EventType}' is not JSON", ex);
            }

            yield return (item.EventType, data);
        }
    }

    /// <summary>A streamed answer that stopped before its end marker: the connection broke, so another attempt may do.</summary>
    public static LlmCallException Truncated() => new("the answer stream ended before it was complete", retryable: true);

    /// <summary>An error object inside an answer (<c>{"error":{"message":…}}</c>), as a failure.</summary>
    public static LlmCallException? ErrorIn(JsonElement element, string? apiKey, bool retryable) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null
            ? new LlmCallException($"the provider reported an error{Detail(error, apiKey)}", retryable)
            : null;

    public static ChatResponseUpdate TextUpdate(string text, string? model) => new(ChatRole.Assistant, text) { ModelId = model };

    public static ChatResponseUpdate UsageUpdate(long input, long output, string? model) =>
        new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output })])
        {
            ModelId = model,
        };

    public static long Tokens(JsonElement usage, string name) =>
        usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty(name, out var value) && value.TryGetInt64(out var tokens) ? tokens : 0;

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static LlmCallException Broken(IOException ex) => new("the connection broke mid-answer", retryable: true, inner: ex);

    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, string? apiKey, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(body);
            return Detail(Property(document.RootElement, "error"), apiKey);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            return "";
        }
    }

    private static string Detail(JsonElement error, string? apiKey) =>
        (error.ValueKind == JsonValueKind.String ? error.GetString() : Text(error, "message")) is { Length: > 0 } message
            ? $": {Shorten(message, apiKey)}"
            : "";

    private static string Shorten(string text, string? apiKey)
    {
        if (!string.IsNullOrEmpty(apiKey))
        {
            text = text.Replace(apiKey, "[key]", StringComparison.Ordinal);
        }

        var single = new StringBuilder(Math.Min(text.Length, MaxErrorDetail + 1));
        foreach (var c in text)
        {
            single.Append(char.IsControl(c) ? ' ' : c);
            if (single.Length > MaxErrorDetail)
            {
                return single.ToString(0, MaxErrorDetail) + "…";
            }
        }

        return single.ToString();
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        // OpenAI also sends the delay in milliseconds; the standard header has whole seconds or a date.
        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
    }
}
