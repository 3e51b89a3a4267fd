using System.Net.WebSockets;
using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;

namespace Meridian.Server.Gateway;

/// <summary>One client socket: who it is, and the one way out to it. Everything sent goes through a bounded
/// <see cref="Outbox"/> drained by a single send loop, so a slow client only ever fills its own queue (and is closed
/// with 1013 when it overflows) and never delays anyone else. Run events reach the outbox through the socket's
/// <see cref="RunDelivery"/>, which keeps them in order per run; client frames are read by <see cref="FrameReader"/>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "The cancellation source is cancelled when the socket ends and never disposed: background readers (resume) may still hold its token, and it owns no timer or handle.")]
internal sealed partial class GatewayConnection
{
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)1013;

    private readonly Outbox _outbox;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();
    private volatile bool _overflowed;
    private int _shutDown;
    private long _lastSentAt = Environment.TickCount64;
    private Revocation? _revocation;

    public GatewayConnection(WebSocket socket, int queueFrames, GatewayMetrics metrics, ILogger logger)
    {
        Socket = socket;
        _metrics = metrics;
        _logger = logger;
        _outbox = new Outbox(queueFrames);
        // RunDelivery locks on itself: keeping run events in order costs the socket no lock object of its own.
        Delivery = new RunDelivery(this);
    }

    public string Id { get; } = "ws_" + Guid.CreateVersion7().ToString("N");

    /// <summary>The socket itself; only <see cref="FrameReader"/> reads from it, only the send loop writes to it.</summary>
    public WebSocket Socket { get; }

    public ILogger Logger => _logger;

    /// <summary>Run events of the user, in order per run, on their way to the outbox.</summary>
    public RunDelivery Delivery { get; }

    /// <summary>Set once credentials are accepted (at the handshake or by an <c>auth</c> frame).</summary>
    public AuthenticatedUser? User { get; set; }

    public long OpenedAt { get; } = Environment.TickCount64;

    /// <summary>When the token stopped being valid and a fresh <c>auth</c> is awaited (TickCount64), else null.</summary>
    public long? ReauthSince { get; set; }

    /// <summary>Set once the socket's token, session or account was revoked; the socket is then closing (1008) and
    /// answers every frame that still arrives with the revocation's error.</summary>
    public Revocation? Revocation => Volatile.Read(ref _revocation);

    /// <summary>The thread this socket last worked in (the default for <c>stop_agent</c> and history).</summary>
    public string? CurrentThreadId { get; set; }

    public CancellationToken Closed => _closed.Token;

    public int QueueDepth => _outbox.Count;

    /// <summary>Since the last frame went out: the housekeeping sends a heartbeat only to a socket idle this long.</summary>
    public long IdleMilliseconds => Environment.TickCount64 - Interlocked.Read(ref _lastSentAt);

    /// <summary>Queues a frame; false when the queue is full (the socket is then closed as a slow consumer).</summary>
    public bool Send(byte[] frame, string type)
    {
        if (_outbox.TryWrite(new Outgoing(frame, type, null, null)))
        {
            return true;
        }

        Overflowed();
        return false;
    }

    /// <summary>Queues an <c>error</c> frame (docs/errors.md); <paramref name="retryAfterMs"/> for <c>RATE_LIMITED</c>.</summary>
    public bool SendError(ErrorCode code, string message, JsonElement? replyTo = null, int? retryAfterMs = null) =>
        Send(Frames.Error(code, message, replyTo, retryAfterMs), "error");

    /// <summary>Queues frames in order under one lock of the outbox; what does not fit closes the socket as a slow consumer.</summary>
    public void SendAll(List<Outgoing> frames)
    {
        if (_outbox.TryWriteAll(frames) < frames.Count)
        {
            Overflowed();
        }
    }

    /// <summary>Queues a frame if there is room, and otherwise leaves the socket open (a replay waits for room).</summary>
    public bool TryQueue(Outgoing frame) => _outbox.TryWrite(frame);

    /// <summary>Waits until the queue has room; false once the socket has ended.</summary>
    public ValueTask<bool> WaitForRoomAsync() => _outbox.WaitToWriteAsync(Closed);

    /// <summary>The send queue is full: the socket is closed as a slow consumer (it can reconnect and resume).</summary>
    private void Overflowed()
    {
        if (!_overflowed && !_closed.IsCancellationRequested)
        {
            _overflowed = true;
            LogSlowConsumer(Id, User?.UserId);
            _ = AbortIfStuckAsync();
        }
    }

    /// <summary>Tells the client the node is going away (<c>server_shutdown</c>) and closes with 1001, once.</summary>
    public void ShutDown(byte[] frame)
    {
        if (Interlocked.Exchange(ref _shutDown, 1) == 0)
        {
            Send(frame, "server_shutdown");
            Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
        }
    }

    /// <summary>Ends a socket whose credentials were revoked: the revocation's <c>error</c> frame, then close 1008
    /// (docs/protocol.md). Only the first revocation counts; false when the socket was already revoked.</summary>
    public bool Revoke(Revocation revocation)
    {
        if (Interlocked.CompareExchange(ref _revocation, revocation, null) is not null)
        {
            return false;
        }

        SendError(revocation.Error, revocation.Message);
        Close(WebSocketCloseStatus.PolicyViolation, revocation.AccountDisabled ? "account disabled" : "token revoked");
        return true;
    }

    /// <summary>Sends a close frame after whatever is already queued.</summary>
    public void Close(WebSocketCloseStatus status, string reason) =>
        _outbox.TryWrite(new Outgoing([], "close", status, reason));

    /// <summary>Sends queued frames until the socket closes. Ends the connection when it stops.</summary>
    public async Task SendLoopAsync()
    {
        var closing = false;

        // Frames sent are counted per run of one type and reported when the type changes or the queue is empty:
        // one metrics update per burst rather than per frame (a run event fans out to every socket of its user).
        string? countedType = null;
        var counted = 0;

        try
        {
            // No cancellation token: the wait reuses the outbox's one waiter. Abort() completes the queue, which ends it.
            while (await _outbox.WaitToReadAsync())
            {
                while (_outbox.TryRead(out var item))
                {
                    if (!string.Equals(item.Type, countedType, StringComparison.Ordinal))
                    {
                        ReportSent(countedType, ref counted);
                        countedType = item.Type;
                    }

                    if (_overflowed || item.Close is not null)
                    {
                        // Send the close frame, then let the receive loop read the client's reply: cutting the socket
                        // at once could reset the connection before the close frame reaches the client.
                        await CloseOutputAsync(_overflowed ? SlowConsumer : item.Close!.Value, _overflowed ? "slow consumer: reconnect and resume" : item.Reason ?? "");
                        closing = true;
                        return;
                    }

                    // No cancellation token: with a cancellable one every send takes the WebSocket's slower path
                    // (a registration and an extra async step per frame). A send that hangs is ended by Abort(),
                    // which every way out of a connection calls (slow consumer, the end of a socket's life, host shutdown).
                    await Socket.SendAsync(item.Frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    Interlocked.Exchange(ref _lastSentAt, Environment.TickCount64);
                    counted++;
                }

                ReportSent(countedType, ref counted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The peer went away or the connection ended.
        }
        finally
        {
            ReportSent(countedType, ref counted);
            if (closing)
            {
                _closed.CancelAfter(TimeSpan.FromSeconds(5));
            }
            else
            {
                await _closed.CancelAsync();
            }
        }
    }

    private void ReportSent(string? type, ref int count)
    {
        if (count > 0)
        {
            _metrics.Sent(type!, count);
            count = 0;
        }
    }

    public void Abort()
    {
        Socket.Abort();
        _closed.Cancel();
        _outbox.Complete();
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status, string reason)
    {
        if (Socket.State is WebSocketState.CloseSent or WebSocketState.Closed or WebSocketState.Aborted)
        {
            // The WebSocket already closed or failed by itself: closing again would only throw.
            return;
        }

        if (Socket.State != WebSocketState.CloseReceived)
        {
            // The server's own decision; answering the client's close is not one.
            _metrics.ClosedBy((int)status);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await Socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            Socket.Abort();
        }
    }

    /// <summary>A slow consumer whose socket does not even take the close frame in time is cut.</summary>
    private async Task AbortIfStuckAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), Closed);
            Abort();
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Socket {ConnectionId} of user {UserId} fell behind its send queue; closing it as a slow consumer")]
    private partial void LogSlowConsumer(string connectionId, string? userId);
}
