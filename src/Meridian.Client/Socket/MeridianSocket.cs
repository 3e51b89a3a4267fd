using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Meridian.Client.Events;

namespace Meridian.Client.Socket;

/// <summary>A connection to <c>/ws</c>: typed frames in arrival order, bounded waits that say what they waited
/// for, the last seq of every run seen, and <see cref="ReconnectAsync"/>, which opens a new socket and resumes each
/// unfinished run from its last seq.</summary>
public sealed class MeridianSocket : IAsyncDisposable
{
    private readonly Uri _uri;
    private readonly SocketOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly RunPositions _runs = new();
    private readonly FrameInbox _inbox;
    private ClientWebSocket _socket;
    private Task _receiving = Task.CompletedTask;

    private MeridianSocket(Uri uri, SocketOptions options, ClientWebSocket socket)
    {
        _uri = uri;
        _options = options;
        _socket = socket;
        _inbox = new FrameInbox(() => Welcome is not null);
    }

    /// <summary>The last 2000 frames received, oldest first, as the server sent them (run events that a resume
    /// replays are left out when <see cref="SocketOptions.DropReplayedEvents"/> is on).</summary>
    public IReadOnlyList<ServerFrame> History => _inbox.History;

    public WelcomeFrame? Welcome { get; private set; }

    /// <summary>The subprotocol the 101 answer selected (null: none).</summary>
    public string? SubProtocol => _socket.SubProtocol;

    public WebSocketState State => _socket.State;

    /// <summary>The close code once the socket closed, or null.</summary>
    public int? CloseStatus => _inbox.ClosedState?.Status;

    public string? CloseDescription => _inbox.ClosedState?.Description;

    /// <summary>Called on the receive loop for each frame as it arrives (for live displays).</summary>
    public event Action<ServerFrame>? FrameReceived;

    public static async Task<MeridianSocket> ConnectAsync(Uri uri, SocketOptions options, CancellationToken ct = default)
    {
        var socket = new MeridianSocket(uri, options, await SocketOpener.OpenAsync(uri, options, ct));
        socket.StartReceiving();
        return socket;
    }

    /// <summary>The last seq received of a run (0 when none).</summary>
    public long LastSeq(string runId) => _runs.LastSeq(runId);

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

    private Task<ServerFrame> WaitForAsync(Func<ServerFrame, bool> match, string waitingFor, TimeSpan timeout, bool fresh, CancellationToken ct) =>
        _inbox.WaitForAsync(match, waitingFor, timeout, fresh, ct);

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
                throw new FrameTimeoutException(waitingFor, timeout, _inbox.Last(10));
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
                throw new FrameTimeoutException(waitingFor, timeout, _inbox.Last(10));
            }
        }

        return events.ToDictionary(e => e.Key, e => (IReadOnlyList<RunEvent>)e.Value, StringComparer.Ordinal);
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
            if (_inbox.IsClosed)
            {
                throw _inbox.ClosedException();
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

        _inbox.StashPending();
        _socket = await SocketOpener.OpenAsync(_uri, _options, ct);
        _inbox.NextGeneration();
        StartReceiving();
        var welcome = await ReceiveWelcomeAsync(_options.WelcomeTimeout, ct);
        if (welcome is not WelcomeFrame)
        {
            throw new InvalidOperationException($"The first frame after reconnecting was not the welcome: {welcome}");
        }

        foreach (var (run, seq) in _runs.Unfinished())
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

    private void StartReceiving()
    {
        var socket = _socket;
        var generation = _inbox.Generation;
        _receiving = Task.Run(() => SocketReader.ReceiveLoopAsync(
            socket, Deliver, (status, description) => _inbox.MarkClosed(generation, status, description)));
    }

    private void Deliver(ServerFrame frame)
    {
        if (!_runs.Track(frame, _options.DropReplayedEvents))
        {
            return;
        }

        _inbox.Record(frame);
        FrameReceived?.Invoke(frame);
        _inbox.Post(frame);
    }
}
