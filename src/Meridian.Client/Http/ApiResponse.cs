using System.Text.Json;

namespace Meridian.Client.Http;

/// <summary>An HTTP answer as received: status, headers and body text, nothing followed or hidden (redirects
/// are not followed, so a 307 is seen as a 307).</summary>
public sealed class ApiResponse
{
    private JsonElement? _json;
    private bool _parsed;

    public required HttpMethod Method { get; init; }

    public required string Path { get; init; }

    public required int Status { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required string Body { get; init; }

    /// <summary>The status line's reason phrase (<c>Temporary Redirect</c>), when the server sent one.</summary>
    public string? ReasonPhrase { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public string? ContentType => Header("Content-Type");

    public string? Location => Header("Location");

    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsRedirect => Status is >= 300 and < 400;

    /// <summary>The body as JSON, or null when it is empty or not JSON.</summary>
    public JsonElement? Json
    {
        get
        {
            if (!_parsed)
            {
                _parsed = true;
                try
                {
                    _json = Body.Length == 0 ? null : Client.Json.Parse(Body);
                }
                catch (JsonException)
                {
                    _json = null;
                }
            }

            return _json;
        }
    }

    /// <summary>The problem body's <c>error_code</c>, when there is one.</summary>
    public string? ErrorCode => Json?.Text("error_code");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public T Read<T>() =>
        JsonSerializer.Deserialize<T>(Body, Client.Json.Options)
        ?? throw new MeridianApiException(this, $"{Method} {Path} answered {Status} with an empty body.");

    public static async Task<ApiResponse> ReadAsync(HttpMethod method, string path, HttpResponseMessage response, TimeSpan elapsed, CancellationToken ct)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        return new ApiResponse
        {
            Method = method,
            Path = path,
            Status = (int)response.StatusCode,
            Headers = headers,
            Body = await response.Content.ReadAsStringAsync(ct),
            ReasonPhrase = response.ReasonPhrase,
            Elapsed = elapsed,
        };
    }

    /// <summary>One line naming the answer: <c>GET /health answered 307 (redirect to https://…)</c>.</summary>
    public string Describe()
    {
        var what = $"{Method} {Path} answered {Status} {ReasonPhrase}".TrimEnd();
        if (IsRedirect)
        {
            return $"{what} (redirect to {Location ?? "no Location header"})";
        }

        return ErrorCode is { } code ? $"{what}: {code}{(Json?.Text("detail") is { } detail ? " - " + detail : "")}" : what;
    }
}
