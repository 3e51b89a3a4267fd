using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Meridian.Client.Events;

namespace Meridian.Client.Socket;

/// <summary>A connection to <c>/ws</c>: typed frames in arrival order, bounded waits that say what they waited
/// for, the last seq of every run seen, and <see cref="ReconnectAsync"/>, which opens a new socket and resumes each
/// unfinished run from its last seq.</summary>
public sealed class MeridianSocket : IAsyncDisposable
{
    private const int HistoryLimit = 2000;

    private readonly Uri _uri;
    private readonly SocketOptions _options;
    // Frames wait here until a wait takes them. Bounded, so a client that only watches FrameReceived and never
    // reads does not grow without limit: past the bound the oldest unread frames go (History keeps them).
    private readonly Channel<ServerFrame> _frames = Channel.CreateBounded<ServerFrame>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly List<ServerFrame> _history = [];
    private readonly LinkedList<ServerFrame> _stash = new();
    private readonly Dictionary<string, long> _lastSeq = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private ClientWebSocket _socket;
    private Task _receiving = Task.CompletedTask;
    private Stopwatch _connected = Stopwatch.StartNew();
    private int _generation;
    private Closed? _closed;

    private MeridianSocket(Uri uri, SocketOptions options, ClientWebSocket socket)
    {
        _uri = uri;
        _options = options;
        _socket = socket;
    }

    /// <summary>The last 2000 frames received, oldest first, as the server sent them (run events that a resume
    /// replays are left out when <see cref="SocketOptions.DropReplayedEvents"/> is on).</summary>
    public IReadOnlyList<ServerFrame> History
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    public WelcomeFrame? Welcome { get; private set; }

    /// <summary>The subprotocol the 101 answer selected (null: none).</summary>
    public string? SubProtocol => _socket.SubProtocol;

    public WebSocketState State => _socket.State;

    /// <summary>The close code once the socket closed, or null.</summary>
    public int? CloseStatus => _closed?.Status;

    public string? CloseDescription => _closed?.Description;

    /// <summary>Called on the receive loop for each frame as it arrives (for live displays).</summary>
    public event Action<ServerFrame>? FrameReceived;

    public static async Task<MeridianSocket> ConnectAsync(Uri uri, SocketOptions options, CancellationToken ct = default)
    {
        var socket = new MeridianSocket(uri, options, await OpenAsync(uri, options, ct));
        socket.StartReceiving();
        return socket;
    }

    /// <summary>The last seq received of a run (0 when none).</summary>
    public long LastSeq(string runId)
    {
        lock (_lastSeq)
        {
            return _lastSeq.GetValueOrDefault(runId);
        }
    }

    /// <summary>Reads the first frame(s) until the welcome: with <see cref="TokenPlacement.AuthFrame"/> it answers
    /// the server's <c>AUTH_REQUIRED</c> with an <c>auth</c> frame first. Returns the first frame that is not part of
    /// that exchange; it is a <see cref="WelcomeFrame"/> when the server kept the contract.</summary>
    public async Task<ServerFrame> ReceiveWelcomeAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        // Only frames of the current socket: after a reconnect, frames of the old one may still wait to be read.
        var first = await WaitForAsync(_ => true, "the welcome frame (system_message connection_established)", timeout, fresh: true, ct);
        if (_options.Placement == TokenPlacement.AuthFrame && first is ErrorFrame { ErrorCode: "AUTH_REQUIRED" })
        {
            await SendAsync(new { type = "auth", token = _options.Token }, ct);
            first = await WaitForAsync(_ => true, "the welcome frame after the auth frame", timeout, fresh: true, ct);
        }

        if (first is WelcomeFrame welcome)
        {
            Welcome = welcome;
        }

        return first;
    }

    /// <summary>The next frame not yet taken by a wait. Throws <see cref="FrameTimeoutException"/> when none arrives
    /// in time and <see cref="SocketClosedException"/> when the socket closes first.</summary>
    public Task<ServerFrame> ReceiveAsync(TimeSpan timeout, string waitingFor = "a frame", CancellationToken ct = default) =>
        WaitForAsync(_ => true, waitingFor, timeout, ct);

    /// <summary>Takes the first frame that matches, looking first at frames earlier waits passed over (they are
    /// kept, in order, for later waits: nothing received is lost).</summary>
    public Task<ServerFrame> WaitForAsync(Func<ServerFrame, bool> match, string waitingFor, TimeSpan timeout, CancellationToken ct = default) =>
        WaitForAsync(match, waitingFor, timeout, fresh: false, ct);

    private async Task<ServerFrame> WaitForAsync(Func<ServerFrame, bool> match, string waitingFor, TimeSpan timeout, bool fresh, CancellationToken ct)
    {
        lock (_stash)
        {
            for (var node = fresh ? null : _stash.First; node is not null; node = node.Next)
            {
                if (match(node.Value))
                {
                    _stash.Remove(node);
                    return node.Value;
                }
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            ServerFrame frame;
            try
            {
                frame = await NextAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new FrameTimeoutException(waitingFor, timeout, Last(10));
            }

            if (match(frame))
            {
                return frame;
            }

            lock (_stash)
            {
                _stash.AddLast(frame);
                if (_stash.Count > HistoryLimit)
                {
                    _stash.RemoveFirst();
                }
            }
        }
    }

    /// <summary>Waits for the direct answer to the client frame with this id (<c>reply_to</c>).</summary>
    public Task<ServerFrame> WaitForReplyAsync(string id, string waitingFor, TimeSpan timeout, CancellationToken ct = default) =>
        WaitForAsync(f => f.ReplyTo == JsonSerializer.Serialize(id), waitingFor, timeout, ct);

    /// <summary>Receives a run's events until its terminal event, in arrival order.</summary>
    public async Task<IReadOnlyList<RunEvent>> FollowRunAsync(string runId, TimeSpan timeout, CancellationToken ct = default) =>
        (await FollowRunsAsync([runId], timeout, ct))[runId];

    /// <summary>Receives the events of several runs until each has its terminal event. Other frames stay for later
    /// waits.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<RunEvent>>> FollowRunsAsync(
        IReadOnlyCollection<string> runIds, TimeSpan timeout, CancellationToken ct = default)
    {
        var events = runIds.ToDictionary(r => r, _ => new List<RunEvent>(), StringComparer.Ordinal);
        var open = new HashSet<string>(runIds, StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (open.Count > 0)
        {
            var waitingFor = $"the terminal event (agent_completed, agent_failed or agent_stopped) of {string.Join(", ", open)}";
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new FrameTimeoutException(waitingFor, timeout, Last(10));
            }

            try
            {
                var e = (RunEvent)await WaitForAsync(f => f is RunEvent { RunId: { } id } && open.Contains(id), waitingFor, left, ct);
                events[e.RunId!].Add(e);
                if (e.IsTerminal)
                {
                    open.Remove(e.RunId!);
                }
            }
            catch (FrameTimeoutException)
            {
                throw new FrameTimeoutException(waitingFor, timeout, Last(10));
            }
        }

        return events.ToDictionary(e => e.Key, e => (IReadOnlyList<RunEvent>)e.Value, StringComparer.Ordinal);
    }

    private async Task<ServerFrame> NextAsync(CancellationToken ct)
    {
        while (true)
        {
            while (_frames.Reader.TryRead(out var frame))
            {
                if (frame is ClosedMarker marker)
                {
                    if (marker.Generation == _generation)
                    {
                        throw ClosedException();
                    }

                    continue; // the close of a socket replaced by ReconnectAsync
                }

                return frame;
            }

            if (_closed is { } closed && closed.Generation == _generation)
            {
                throw ClosedException();
            }

            await _frames.Reader.WaitToReadAsync(ct);
        }
    }

    public Task SendAsync(object frame, CancellationToken ct = default) => SendTextAsync(Json.Serialize(frame), ct);

    public async Task SendTextAsync(string text, CancellationToken ct = default)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        catch (WebSocketException)
        {
            // Sending on a socket the server closed: say how it closed, as a receive would.
            await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None));
            if (_closed is { } closed && closed.Generation == _generation)
            {
                throw ClosedException();
            }

            throw;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>A <c>user_message</c> (or <c>start_agent</c> when <paramref name="agent"/> is given).</summary>
    public Task SendMessageAsync(string text, string? threadId = null, string? agent = null, string? id = null, CancellationToken ct = default) =>
        SendAsync(new { type = agent is null ? "user_message" : "start_agent", content = text, thread_id = threadId, agent, id }, ct);

    public Task ResumeAsync(string runId, long afterSeq, CancellationToken ct = default) =>
        SendAsync(new { type = "resume", run_id = runId, after_seq = afterSeq }, ct);

    public Task StopAsync(string? runId = null, string? id = null, CancellationToken ct = default) =>
        SendAsync(new { type = "stop_agent", run_id = runId, id }, ct);

    public Task PingAsync(string? id = null, CancellationToken ct = default) => SendAsync(new { type = "ping", id }, ct);

    /// <summary>Opens a new socket with the same options, waits for its welcome, and resumes every run this socket
    /// saw start but not end, from its last seq. Events already delivered are not delivered again.</summary>
    public async Task ReconnectAsync(CancellationToken ct = default)
    {
        _socket.Abort();
        await _receiving;
        _socket.Dispose();

        // What the old socket received stays readable, in order, ahead of the new socket's frames.
        lock (_stash)
        {
            while (_frames.Reader.TryRead(out var frame))
            {
                if (frame is not ClosedMarker)
                {
                    _stash.AddLast(frame);
                }
            }
        }

        _socket = await OpenAsync(_uri, _options, ct);
        _generation++;
        _connected = Stopwatch.StartNew();
        StartReceiving();
        var welcome = await ReceiveWelcomeAsync(_options.WelcomeTimeout, ct);
        if (welcome is not WelcomeFrame)
        {
            throw new InvalidOperationException($"The first frame after reconnecting was not the welcome: {welcome}");
        }

        List<(string Run, long Seq)> open;
        lock (_lastSeq)
        {
            open = _lastSeq.Where(r => !_ended.Contains(r.Key)).Select(r => (r.Key, r.Value)).ToList();
        }

        foreach (var (run, seq) in open)
        {
            await ResumeAsync(run, seq, ct);
        }
    }

    /// <summary>Closes with 1000 (bounded), or aborts.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private static async Task<ClientWebSocket> OpenAsync(Uri uri, SocketOptions options, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var target = uri;
        switch (options.Placement)
        {
            case TokenPlacement.Header when options.Token is not null:
                socket.Options.SetRequestHeader("Authorization", "Bearer " + options.Token);
                break;
            case TokenPlacement.Subprotocol when options.Token is not null:
                socket.Options.AddSubProtocol(SocketOptions.JwtAuthProtocol);
                socket.Options.AddSubProtocol("jwt." + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(options.Token)));
                break;
            case TokenPlacement.Query when options.Token is not null:
                target = new UriBuilder(uri) { Query = "token=" + Uri.EscapeDataString(options.Token) }.Uri;
                break;
        }

        foreach (var protocol in options.Subprotocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }

        foreach (var (name, value) in options.Headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
            return socket;
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            var status = (int)socket.HttpStatusCode;
            var headers = socket.HttpResponseHeaders?.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            socket.Dispose();
            if (status is not 0 and not (int)HttpStatusCode.SwitchingProtocols)
            {
                throw new SocketConnectException(uri, TransportStage.Upgrade, $"HTTP {status} on the WebSocket upgrade of {uri}", status, headers, ex);
            }

            var stage = ex is OperationCanceledException ? TransportStage.Timeout : TransportFailure.Classify(ex) ?? TransportStage.Other;
            var message = stage == TransportStage.Timeout
                ? $"no WebSocket upgrade from {uri} within {options.ConnectTimeout.TotalSeconds:0.#} s"
                : TransportFailure.RootMessage(ex);
            throw new SocketConnectException(uri, stage, message, status == 0 ? null : status, headers, ex);
        }
    }

    private void StartReceiving()
    {
        var socket = _socket;
        var generation = _generation;
        _receiving = Task.Run(() => ReceiveLoopAsync(socket, generation));
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket, int generation)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    MarkClosed(generation, (int?)socket.CloseStatus, socket.CloseStatusDescription);
                    await AnswerCloseAsync(socket);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    Deliver(Parse(message.ToArray()));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            MarkClosed(generation, (int?)socket.CloseStatus, socket.CloseStatusDescription ?? ex.Message);
        }
    }

    /// <summary>Completes the close handshake the server started (bounded; a peer that is gone is not waited for).</summary>
    private static async Task AnswerCloseAsync(ClientWebSocket socket)
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static ServerFrame Parse(byte[] bytes)
    {
        var now = DateTimeOffset.UtcNow;
        try
        {
            return FrameParser.Parse(Json.Parse(bytes), now);
        }
        catch (JsonException)
        {
            // Not JSON: kept as a string element, so the caller can show what arrived.
            return new ServerFrame(JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(bytes)), now);
        }
    }

    private void Deliver(ServerFrame frame)
    {
        if (frame is RunEvent { RunId: { } run, Seq: { } seq } e)
        {
            lock (_lastSeq)
            {
                var last = _lastSeq.GetValueOrDefault(run);
                if (seq <= last && _options.DropReplayedEvents)
                {
                    return;
                }

                _lastSeq[run] = Math.Max(last, seq);
                if (e.IsTerminal)
                {
                    _ended.Add(run);
                }
            }
        }
        else if (frame is RunAcceptedFrame { RunId: { } accepted })
        {
            lock (_lastSeq)
            {
                _lastSeq.TryAdd(accepted, 0);
            }
        }

        lock (_history)
        {
            _history.Add(frame);
            if (_history.Count > HistoryLimit)
            {
                _history.RemoveRange(0, _history.Count - HistoryLimit);
            }
        }

        FrameReceived?.Invoke(frame);
        _frames.Writer.TryWrite(frame);
    }

    private void MarkClosed(int generation, int? status, string? description)
    {
        _closed = new Closed(generation, status, description, _connected.Elapsed);
        _frames.Writer.TryWrite(new ClosedMarker(generation));
    }

    private SocketClosedException ClosedException() =>
        new(_closed!.Status, _closed.Description, _closed.SinceConnect, Welcome is not null, Last(10));

    private List<ServerFrame> Last(int count)
    {
        lock (_history)
        {
            return _history.TakeLast(count).ToList();
        }
    }

    private sealed record Closed(int Generation, int? Status, string? Description, TimeSpan SinceConnect);

    private sealed class ClosedMarker(int generation) : ServerFrame(default, DateTimeOffset.UtcNow)
    {
        public int Generation { get; } = generation;
    }
}
