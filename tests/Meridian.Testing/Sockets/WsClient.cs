using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Gateway;

/// <summary>A real WebSocket client for tests. Every wait is bounded, so a missing frame fails the test with
/// the frames seen instead of hanging it.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;
    private readonly List<JsonElement> _seen = [];
    private long _received;

    private WsClient(ClientWebSocket socket) => _socket = socket;

    public WebSocket Socket => _socket;

    public IReadOnlyList<JsonElement> Seen => _seen;

    /// <summary>Frames received so far (readable from any thread, e.g. by a pipeline that paces itself).</summary>
    public long Received => Interlocked.Read(ref _received);

    public static async Task<WsClient> ConnectAsync(TestServer server, string? bearer = null, string[]? protocols = null, string? query = null, string path = "/ws")
    {
        var socket = new ClientWebSocket();
        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        foreach (var protocol in protocols ?? [])
        {
            socket.Options.AddSubProtocol(protocol);
        }

        var uri = new Uri($"ws://{server.BaseAddress.Authority}{path}{(query is null ? "" : "?" + query)}");
        using var timeout = new CancellationTokenSource(DefaultWait);
        await socket.ConnectAsync(uri, timeout.Token);
        return new WsClient(socket);
    }

    /// <summary>An authenticated socket whose first frame was the welcome.</summary>
    public static async Task<WsClient> OpenAsync(TestServer server, string token)
    {
        var client = await ConnectAsync(server, bearer: token);
        var first = (await client.ReceiveAsync())!.Value;
        first.GetProperty("type").GetString().ShouldBe("system_message", "the welcome is the first frame");
        first.GetProperty("data").GetProperty("event").GetString().ShouldBe("connection_established");
        return client;
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
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, timeout.Token);
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
}

/// <summary>A WebSocket upgrade written by hand, to see the exact status and headers of the handshake.</summary>
public static class RawHandshake
{
    public static async Task<(int Status, Dictionary<string, string> Headers, string Body)> SendAsync(
        TestServer server, IDictionary<string, string>? headers = null, string path = "/ws")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        var request = new StringBuilder()
            .Append($"GET {path} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Append($"{name}: {value}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lines = text[..end].Split("\r\n");
                var status = int.Parse(lines[0].Split(' ')[1]);
                var parsed = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
                if (status == 101 || (parsed.TryGetValue("Content-Length", out var length) && text.Length - end - 4 >= int.Parse(length)) || text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                {
                    return (status, parsed, status == 101 ? "" : text[(end + 4)..]);
                }
            }

            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                var all = Encoding.UTF8.GetString(received.ToArray());
                var e = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                var lines = all[..e].Split("\r\n");
                return (int.Parse(lines[0].Split(' ')[1]), lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase), all[(e + 4)..]);
            }

            received.Write(buffer, 0, read);
        }
    }
}
