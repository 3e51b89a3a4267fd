using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Meridian.Server.Llm;

/// <summary>Short, key-free reasons for what a provider answered or how reaching it failed. The SDKs' own exceptions
/// quote the provider's whole answer (which may quote the key), so reasons are read from the HTTP answer itself and the
/// SDKs' messages are never shown or logged (docs/language-models.md#9-what-the-sdks-do-and-what-meridian-does-itself).</summary>
internal static class ProviderErrors
{
    private const int MaxDetail = 160;

    /// <summary>408, 409, 429 and 5xx (Anthropic's 529 "overloaded" included): worth another attempt.</summary>
    public static bool Transient(HttpStatusCode status) => (int)status is 408 or 409 or 429 or >= 500;

    /// <summary>"HTTP 500 Internal Server Error: the provider's message"; for 401 and 403 the provider's text is not
    /// repeated, since an authentication answer may quote (part of) the key.</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, string? apiKey, CancellationToken cancellationToken)
    {
        var detail = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? " (check Llm:ApiKey)"
            : await DetailAsync(response, apiKey, cancellationToken);
        return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{detail}".TrimEnd();
    }

    public static string Unreachable(HttpRequestException ex, string? apiKey) => $"could not reach the provider: {Shorten(ex.Message, apiKey)}";

    /// <summary>The provider's <c>Retry-After</c>: OpenAI's <c>retry-after-ms</c>, else the standard header's seconds or date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response is null)
        {
            return null;
        }

        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var ms) && ms >= 0)
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

    /// <summary>One line of at most 160 characters, with the key replaced.</summary>
    public static string Shorten(string text, string? apiKey)
    {
        if (!string.IsNullOrEmpty(apiKey))
        {
            text = text.Replace(apiKey, "[key]", StringComparison.Ordinal);
        }

        var single = new StringBuilder(Math.Min(text.Length, MaxDetail + 1));
        foreach (var c in text)
        {
            single.Append(char.IsControl(c) ? ' ' : c);
            if (single.Length > MaxDetail)
            {
                return single.ToString(0, MaxDetail) + "…";
            }
        }

        return single.ToString();
    }

    /// <summary>": message" from an error body (<c>{"error":{"message":…}}</c> or <c>{"error":"…"}</c>); the body is
    /// buffered first, so that the SDK can still read it.</summary>
    private static async Task<string> DetailAsync(HttpResponseMessage response, string? apiKey, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(body);
            var error = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var e) ? e : default;
            var message = error.ValueKind switch
            {
                JsonValueKind.String => error.GetString(),
                JsonValueKind.Object when error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString(),
                _ => null,
            };
            return message is { Length: > 0 } ? $": {Shorten(message, apiKey)}" : "";
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            return "";
        }
    }
}
