using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using Meridian.Client.Events;
using Meridian.Client.Http;
using Meridian.Client.Socket;

namespace Meridian.Client;

/// <summary>A typed client for one Meridian deployment: REST (health, auth, threads, runs, agents) and the
/// <c>/ws</c> socket. Redirects are never followed, so a redirect on an API route shows as what it is.</summary>
public sealed class MeridianClient : IDisposable
{
    public const string BypassKeyHeader = "X-E2E-Bypass-Key";

    private readonly HttpClient _http;

    public MeridianClient(Uri baseAddress, string? token = null, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
    {
        BaseAddress = new Uri(baseAddress.GetLeftPart(UriPartial.Authority) + baseAddress.AbsolutePath.TrimEnd('/') + "/");
        Token = token;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = timeout ?? TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    public Uri BaseAddress { get; }

    /// <summary>The access token sent as <c>Authorization: Bearer</c>; the sign-in calls set it.</summary>
    public string? Token { get; set; }

    /// <summary>The socket endpoint: the base address with <c>ws</c>/<c>wss</c> and the given path.</summary>
    public Uri SocketUri(string path = "/ws") =>
        new UriBuilder(BaseAddress) { Scheme = BaseAddress.Scheme == "https" ? "wss" : "ws", Path = BaseAddress.AbsolutePath.TrimEnd('/') + path }.Uri;

    /// <summary>Sends a request and returns the answer whatever its status; transport failures (DNS, TCP, TLS,
    /// timeout) propagate as exceptions.</summary>
    public async Task<ApiResponse> SendAsync(
        HttpMethod method, string path, object? body = null, IReadOnlyDictionary<string, string>? headers = null,
        bool authenticate = true, string? accept = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            // An HttpContent goes as it is (a file streamed with its own content type); anything else as JSON.
            request.Content = body as HttpContent ?? new StringContent(body as string ?? Json.Serialize(body), Encoding.UTF8, "application/json");
        }

        if (authenticate && Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var clock = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request, ct);
        return await ApiResponse.ReadAsync(method, "/" + path.TrimStart('/'), response, clock.Elapsed, ct);
    }

    /// <summary>Sends and reads a 2xx answer as <typeparamref name="T"/>; anything else is a <see cref="MeridianApiException"/>.</summary>
    public async Task<T> CallAsync<T>(
        HttpMethod method, string path, object? body = null, IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default)
    {
        var response = await SendAsync(method, path, body, headers, ct: ct);
        if (!response.IsSuccess)
        {
            throw new MeridianApiException(response);
        }

        try
        {
            return response.Read<T>();
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new MeridianApiException(response, $"{response.Describe()} with a body that is not the expected JSON: {ex.Message}");
        }
    }

    public Task<T> GetAsync<T>(string path, CancellationToken ct = default) => CallAsync<T>(HttpMethod.Get, path, ct: ct);

    // --- health and discovery ---------------------------------------------------------------------------------

    public Task<HealthStatus> HealthAsync(CancellationToken ct = default) => GetAsync<HealthStatus>("/health", ct);

    public Task<Discovery> DiscoveryAsync(CancellationToken ct = default) => GetAsync<Discovery>("/api/discovery/services", ct);

    // --- sign-in (each sets Token) -----------------------------------------------------------------------------

    /// <summary><c>POST /auth/dev/login</c> (Development servers only).</summary>
    public Task<TokenAnswer> DevLoginAsync(string? email = null, string? name = null, CancellationToken ct = default) =>
        SignInAsync("/auth/dev/login", new { email, name }, null, ct);

    /// <summary><c>POST /auth/e2e/test-auth</c> with the bypass key: real tokens for a test user.</summary>
    public Task<TokenAnswer> TestAuthAsync(string bypassKey, string email, string? name = null, IReadOnlyList<string>? permissions = null, CancellationToken ct = default) =>
        SignInAsync("/auth/e2e/test-auth", new { email, name, permissions }, new Dictionary<string, string> { [BypassKeyHeader] = bypassKey }, ct);

    public Task<TokenAnswer> LoginAsync(string email, string password, CancellationToken ct = default) =>
        SignInAsync("/auth/login", new { email, password }, null, ct);

    public Task<TokenAnswer> RegisterAsync(string email, string password, string? name = null, CancellationToken ct = default) =>
        SignInAsync("/auth/register", new { email, password, name }, null, ct);

    public Task<TokenAnswer> RefreshAsync(string refreshToken, CancellationToken ct = default) =>
        SignInAsync("/auth/refresh", new { refresh_token = refreshToken }, null, ct);

    public Task<UserProfile> MeAsync(CancellationToken ct = default) => GetAsync<UserProfile>("/auth/me", ct);

    // --- threads, runs, agents ---------------------------------------------------------------------------------

    public Task<ThreadInfo> CreateThreadAsync(string? title = null, string? threadId = null, CancellationToken ct = default) =>
        CallAsync<ThreadInfo>(HttpMethod.Post, "/api/threads", new { title, thread_id = threadId }, ct: ct);

    public Task<ThreadList> ThreadsAsync(int limit = 20, int offset = 0, CancellationToken ct = default) =>
        GetAsync<ThreadList>($"/api/threads?limit={limit}&offset={offset}", ct);

    public Task<MessagePage> MessagesAsync(string threadId, int limit = 50, CancellationToken ct = default) =>
        GetAsync<MessagePage>($"/api/threads/{Uri.EscapeDataString(threadId)}/messages?limit={limit}", ct);

    public Task<AgentList> AgentsAsync(CancellationToken ct = default) => GetAsync<AgentList>("/api/agents", ct);

    /// <summary><c>POST /api/agents/execute</c> (or <c>/api/agents/{agent}</c>); with <paramref name="wait"/> false
    /// the answer is 202 with the run id at once.</summary>
    public Task<ExecuteResult> ExecuteAsync(string message, string? agent = null, string? threadId = null, bool wait = true, CancellationToken ct = default) =>
        CallAsync<ExecuteResult>(
            HttpMethod.Post, $"/api/agents/{(agent is null ? "execute" : Uri.EscapeDataString(agent))}{(wait ? "" : "?wait=false")}",
            new { message, thread_id = threadId }, ct: ct);

    public Task<RunInfo> RunAsync(string runId, CancellationToken ct = default) => GetAsync<RunInfo>($"/api/runs/{Uri.EscapeDataString(runId)}", ct);

    public Task<RunInfo> CancelRunAsync(string runId, CancellationToken ct = default) =>
        CallAsync<RunInfo>(HttpMethod.Post, $"/api/runs/{Uri.EscapeDataString(runId)}/cancel", ct: ct);

    /// <summary>The stored events of a run after <paramref name="afterSeq"/>, typed.</summary>
    public async Task<(RunEventsPage Page, IReadOnlyList<RunEvent> Events)> RunEventsAsync(string runId, long afterSeq = 0, CancellationToken ct = default)
    {
        var page = await GetAsync<RunEventsPage>($"/api/runs/{Uri.EscapeDataString(runId)}/events?after_seq={afterSeq}", ct);
        var now = DateTimeOffset.UtcNow;
        return (page, page.Events.Select(e => FrameParser.ParseEvent(e, now)).ToList());
    }

    /// <summary>The run's events as Server-Sent Events, from <paramref name="afterSeq"/>, until the stream ends
    /// (after the terminal event, or when the server's idle limit passes).</summary>
    public async IAsyncEnumerable<RunEvent> StreamRunEventsAsync(string runId, long afterSeq = 0, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/runs/{Uri.EscapeDataString(runId)}/events?after_seq={afterSeq}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new MeridianApiException(await ApiResponse.ReadAsync(HttpMethod.Get, request.RequestUri!.ToString(), response, TimeSpan.Zero, ct));
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var sse in ServerSentEvents.ReadAsync(stream, ct))
        {
            yield return FrameParser.ParseEvent(Json.Parse(sse.Data), DateTimeOffset.UtcNow);
        }
    }

    // --- the socket --------------------------------------------------------------------------------------------

    /// <summary>Opens <c>/ws</c> with this client's token (by header unless <paramref name="options"/> says otherwise)
    /// and waits for the welcome frame.</summary>
    public async Task<MeridianSocket> ConnectAsync(SocketOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SocketOptions();
        var socket = await MeridianSocket.ConnectAsync(SocketUri(options.Path), options with { Token = options.Token ?? Token }, ct);
        try
        {
            await socket.ReceiveWelcomeAsync(options.WelcomeTimeout, ct);
            return socket;
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<TokenAnswer> SignInAsync(string path, object body, IReadOnlyDictionary<string, string>? headers, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Post, path, body, headers, authenticate: false, ct: ct);
        if (!response.IsSuccess)
        {
            throw new MeridianApiException(response);
        }

        var answer = response.Read<TokenAnswer>();
        Token = answer.AccessToken;
        return answer;
    }
}
