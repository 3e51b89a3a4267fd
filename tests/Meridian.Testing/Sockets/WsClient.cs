using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Meridian.Testing.Sockets;

/// <summary>A raw WebSocket client for tests and benchmarks: it sends exactly the bytes it is given (malformed
/// frames included) and reads frames as JSON, with no protocol logic of its own (src/Meridian.Client is the client
/// with that). Every wait is bounded, so a missing frame fails with the frames seen instead of hanging.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;
    private readonly List<JsonElement> _seen = [];
    private long _received;

    private WsClient(ClientWebSocket socket) => _socket = socket;

    public WebSocket Socket => _socket;

    public IReadOnlyList<JsonElement> Seen => _seen;

    /// <summary>A header of the handshake's answer (the 101), such as the node that took the socket behind a load
    /// balancer; null when absent.</summary>
    public string? ResponseHeader(string name) =>
        _socket.HttpResponseHeaders?.TryGetValue(name, out var values) == true ? string.Join(",", values) : null;

    /// <summary>Frames received so far (readable from any thread, e.g. by a pipeline that paces itself).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Opens <c>ws://{server's host and port}{path}</c>.</summary>
    /// <param name="server">The server's address (http://host:port/).</param>
    /// <param name="invoker">Opens the TCP connection (e.g. from a chosen local address); by default the runtime's.</param>
    /// <param name="keepAlive">The client's own keep-alive pings; by default the runtime's, zero for none (the server
    /// pings, and the client answers while a receive is pending).</param>
    /// <param name="wait">Bounds the connect and the upgrade (15 s by default).</param>
    public static async Task<WsClient> ConnectAsync(
        Uri server, string? bearer = null, string[]? protocols = null, string? query = null, string path = "/ws",
        HttpMessageInvoker? invoker = null, TimeSpan? keepAlive = null, TimeSpan? wait = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        foreach (var protocol in protocols ?? [])
        {
            socket.Options.AddSubProtocol(protocol);
        }

        if (keepAlive is { } interval)
        {
            socket.Options.KeepAliveInterval = interval;
        }

        var uri = new Uri($"ws://{server.Authority}{path}{(query is null ? "" : "?" + query)}");
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            await socket.ConnectAsync(uri, invoker, timeout.Token);
            return new WsClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An authenticated socket whose first frame was the welcome (docs/protocol.md#2-the-welcome-frame); throws
    /// a <see cref="WebSocketException"/> saying what came instead.</summary>
    public static async Task<WsClient> OpenAsync(
        Uri server, string token, HttpMessageInvoker? invoker = null, TimeSpan? keepAlive = null, TimeSpan? wait = null)
    {
        var client = await ConnectAsync(server, bearer: token, invoker: invoker, keepAlive: keepAlive, wait: wait);
        try
        {
            var first = await client.ReceiveAsync(wait)
                ?? throw new WebSocketException($"closed before the welcome: {client._socket.CloseStatus} {client._socket.CloseStatusDescription}");
            if (!IsWelcome(first))
            {
                throw new WebSocketException("the first frame was not the welcome (system_message connection_established): " + first);
            }

            return client;
        }
        catch
        {
            client._socket.Abort();
            client._socket.Dispose();
            throw;
        }
    }

    public static string SubprotocolToken(string jwt) => "jwt." + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(jwt));

    public Task SendAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public async Task SendTextAsync(string text) => await SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(DefaultWait);
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next frame, or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        // Pooled: a benchmark opens thousands of these, and a receive's buffer must not be its garbage.
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result;
                try
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"No frame within {(wait ?? DefaultWait).TotalSeconds} s; seen: {string.Join(" | ", _seen.TakeLast(5))}");
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    var frame = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                    Interlocked.Increment(ref _received);
                    _seen.Add(frame);
                    return frame;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Receives until a frame matches, returning it (earlier frames stay in <see cref="Seen"/>).</summary>
    public async Task<JsonElement> ExpectAsync(Func<JsonElement, bool> match, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching frame; seen: {string.Join(" | ", _seen.TakeLast(8))}");
            }

            var frame = await ReceiveAsync(left) ?? throw new InvalidOperationException($"Closed ({_socket.CloseStatus}) before a matching frame; seen: {string.Join(" | ", _seen.TakeLast(8))}");
            if (match(frame))
            {
                return frame;
            }
        }
    }

    public Task<JsonElement> ExpectTypeAsync(string type, TimeSpan? wait = null) =>
        ExpectAsync(f => f.GetProperty("type").GetString() == type, wait);

    /// <summary>Receives until the server closes; returns the close status.</summary>
    public async Task<WebSocketCloseStatus?> ExpectCloseAsync(TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await ReceiveAsync(deadline - DateTime.UtcNow) is null)
                {
                    return _socket.CloseStatus;
                }
            }
            catch (WebSocketException)
            {
                return _socket.CloseStatus;
            }
        }

        throw new TimeoutException("The server did not close the socket.");
    }

    /// <summary>Reads and drops frames (heartbeats, pings) until the socket closes, keeping nothing: true when the
    /// server closed or cut it, false when <paramref name="cancellationToken"/> ended the wait.</summary>
    public async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        try
        {
            while ((await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken)).MessageType != WebSocketMessageType.Close)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception)
            {
                _socket.Abort();
            }
        }

        _socket.Dispose();
    }

    private static bool IsWelcome(JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object
        && frame.TryGetProperty("type", out var type) && type.ValueEquals("system_message")
        && frame.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("event", out var e) && e.ValueEquals("connection_established");
}
