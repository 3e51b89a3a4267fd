using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace Meridian.Tests.Validation;

/// <summary>What the proxy breaks. Each is one failure an earlier system shipped to staging.</summary>
public abstract record Fault
{
    /// <summary>The WebSocket upgrade is refused with this status (a proxy or auth layer in front).</summary>
    public sealed record UpgradeStatus(int Status) : Fault;

    /// <summary>The socket is closed with this code right after the welcome frame.</summary>
    public sealed record CloseAfterWelcome(WebSocketCloseStatus Code) : Fault;

    /// <summary>One HTTP route answers this status (with <c>Location</c> for a redirect) instead of the server.</summary>
    public sealed record HttpAnswer(string Path, int Status, string? Location = null) : Fault;

    /// <summary>Server frames are rewritten (null drops the frame).</summary>
    public sealed record RewriteFrames(Func<JsonObject, JsonObject?> Rewrite) : Fault;

    /// <summary>The 101 selects no subprotocol, whatever the client offered.</summary>
    public sealed record SelectNoSubprotocol : Fault;

    /// <summary>Every run's terminal event (<c>agent_completed</c>, <c>agent_failed</c>, <c>agent_stopped</c>) is
    /// dropped on its way to the client; every other frame passes (a gateway that loses the last event of a run).</summary>
    public sealed record DropTerminalEvents : Fault
    {
        public static bool IsTerminal(JsonObject frame) => frame["type"]?.GetValue<string>() is "agent_completed" or "agent_failed" or "agent_stopped";
    }

    /// <summary>Every run's terminal event reaches the client twice (a node that delivers a run's end both from its
    /// own bus and again from a replay or a relay): the copy comes after the run has ended.</summary>
    public sealed record RepeatTerminalEvents : Fault;

    /// <summary>The WebSocket upgrade is never answered: the request is held until the client gives up (a proxy or
    /// load balancer that black-holes <c>/ws</c>).</summary>
    public sealed record UpgradeNeverAnswered : Fault;

    /// <summary>Plain HTTP requests are held unanswered until the client gives up (an API that hangs); WebSocket
    /// upgrades pass.</summary>
    public sealed record HttpNeverAnswered : Fault;

    /// <summary>Frames from the client never reach the server (a proxy that relays one way only): the welcome and
    /// whatever the server sends arrive, nothing sent is answered.</summary>
    public sealed record DropClientFrames : Fault;

    /// <summary>Every run event also goes to every other socket open through the proxy (a gateway that
    /// broadcasts instead of delivering to the owner).</summary>
    public sealed record Broadcast : Fault;
}

/// <summary>A real reverse proxy on 127.0.0.1 in front of a real Meridian server: HTTP requests are forwarded
/// as they are (no redirects followed, bodies streamed, the client's Host kept so discovery names the proxy), and
/// WebSocket upgrades are forwarded to the server's socket with the same credentials and subprotocols, relaying
/// frames and close codes both ways. <see cref="Fault"/> breaks one thing at a time.</summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Uri _upstream;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<Peer, byte> _clients = new();

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Transfer-Encoding", "Connection", "Keep-Alive" };

    private FaultProxy(WebApplication app, Uri upstream)
    {
        _app = app;
        _upstream = upstream;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public Fault? Fault { get; set; }

    public static async Task<FaultProxy> StartAsync(Uri upstream, Fault? fault = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new FaultProxy(app, upstream) { Fault = fault };
        app.UseWebSockets();
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var fault = Fault;
        var upgrade = context.WebSockets.IsWebSocketRequest;
        if ((fault is Fault.UpgradeNeverAnswered && upgrade) || (fault is Fault.HttpNeverAnswered && !upgrade))
        {
            // Held until the client gives up and goes away.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (upgrade)
        {
            await RelaySocketAsync(context, fault);
            return;
        }

        if (fault is Fault.HttpAnswer answer && context.Request.Path == answer.Path)
        {
            context.Response.StatusCode = answer.Status;
            if (answer.Location is not null)
            {
                context.Response.Headers.Location = answer.Location;
            }

            if (answer.Status >= 400)
            {
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync($"<html><body><h1>{answer.Status}</h1></body></html>");
            }

            return;
        }

        await ForwardHttpAsync(context);
    }

    private async Task ForwardHttpAsync(HttpContext context)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_upstream, context.Request.Path + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers.Where(h => !HopByHop.Contains(h.Key)))
        {
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        // Streamed with a flush per read, so Server-Sent Events pass through as they come.
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private async Task RelaySocketAsync(HttpContext context, Fault? fault)
    {
        if (fault is Fault.UpgradeStatus refused)
        {
            context.Response.StatusCode = refused.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\":\"refused by the proxy\"}");
            return;
        }

        using var upstream = new ClientWebSocket();
        upstream.Options.CollectHttpResponseDetails = true;
        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            upstream.Options.AddSubProtocol(protocol);
        }

        foreach (var header in new[] { "Authorization", "Origin" })
        {
            if (context.Request.Headers[header] is { Count: > 0 } value)
            {
                upstream.Options.SetRequestHeader(header, value.ToString());
            }
        }

        var target = new UriBuilder(_upstream) { Scheme = "ws", Path = context.Request.Path, Query = context.Request.QueryString.Value?.TrimStart('?') }.Uri;
        try
        {
            await upstream.ConnectAsync(target, context.RequestAborted);
        }
        catch (WebSocketException)
        {
            context.Response.StatusCode = upstream.HttpStatusCode == 0 ? 502 : (int)upstream.HttpStatusCode;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(fault is Fault.SelectNoSubprotocol ? null : upstream.SubProtocol);
        using var client = new Peer(socket);
        using var server = new Peer(upstream);
        _clients[client] = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var down = PumpAsync(server, client, fault, toClient: true, stop.Token);
        var up = PumpAsync(client, server, fault, toClient: false, stop.Token);
        await Task.WhenAny(down, up);
        try
        {
            // Let the close handshake finish before cutting: an abort can drop frames still in flight.
            await Task.WhenAll(down, up).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
        }

        _clients.TryRemove(client, out _);
        await stop.CancelAsync();
        socket.Abort();
        upstream.Abort();
    }

    /// <summary>Relays messages from one socket to the other, applying the fault; a close on one side is passed on
    /// with its code.</summary>
    private async Task PumpAsync(Peer from, Peer to, Fault? fault, bool toClient, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        var relayed = 0;
        try
        {
            while (true)
            {
                var result = await from.Socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await to.CloseAsync(from.Socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.Socket.CloseStatusDescription, ct);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.ToArray();
                message.SetLength(0);
                if (!toClient && fault is Fault.DropClientFrames)
                {
                    continue;
                }

                if (toClient && fault is Fault.DropTerminalEvents && JsonNode.Parse(bytes) is JsonObject parsed && Fault.DropTerminalEvents.IsTerminal(parsed))
                {
                    continue;
                }

                if (toClient && fault is Fault.RewriteFrames rewrite)
                {
                    if (JsonNode.Parse(bytes) is not JsonObject frame || rewrite.Rewrite(frame) is not { } rewritten)
                    {
                        continue;
                    }

                    bytes = System.Text.Encoding.UTF8.GetBytes(rewritten.ToJsonString());
                }

                await to.SendAsync(bytes, ct);
                relayed++;
                if (toClient && fault is Fault.RepeatTerminalEvents && JsonNode.Parse(bytes) is JsonObject ended && Fault.DropTerminalEvents.IsTerminal(ended))
                {
                    await to.SendAsync(bytes, ct);
                }

                if (toClient && fault is Fault.Broadcast && JsonNode.Parse(bytes)?["run_id"] is not null && JsonNode.Parse(bytes)?["seq"] is not null)
                {
                    foreach (var other in _clients.Keys.Where(c => c != to))
                    {
                        await other.TrySendAsync(bytes, ct);
                    }
                }

                if (toClient && fault is Fault.CloseAfterWelcome close && relayed == 1)
                {
                    await to.CloseAsync(close.Code, "injected by the proxy", ct);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // One side went away; the caller aborts both.
        }
    }

    /// <summary>One side of a relayed socket; sends take turns (a socket allows one send at a time).</summary>
    private sealed class Peer(WebSocket socket) : IDisposable
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public WebSocket Socket { get; } = socket;

        public async Task SendAsync(byte[] bytes, CancellationToken ct)
        {
            await _send.WaitAsync(ct);
            try
            {
                await Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
            }
            finally
            {
                _send.Release();
            }
        }

        public async Task TrySendAsync(byte[] bytes, CancellationToken ct)
        {
            try
            {
                await SendAsync(bytes, ct);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // That socket is closing; the broadcast goes on to the others.
            }
        }

        public void Dispose() => _send.Dispose();

        public async Task CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken ct)
        {
            await _send.WaitAsync(ct);
            try
            {
                await Socket.CloseOutputAsync(status, description, ct);
            }
            finally
            {
                _send.Release();
            }
        }
    }
}
