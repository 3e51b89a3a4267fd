using Meridian.Server.Errors;
using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Runs;

namespace Meridian.Server.Gateway;

/// <summary>One client socket. Everything sent goes through a bounded outbox drained by a single send loop, so a
/// slow client only ever fills its own queue (and is closed with 1013 when it overflows) and never delays anyone
/// else. Run events are the stored bytes, enqueued as they are; per run the socket remembers the last seq it sent,
/// so a resume never repeats or reorders events.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "The cancellation source is cancelled when the socket ends and never disposed: background readers (resume) may still hold its token, and it owns no timer or handle.")]
internal sealed partial class GatewayConnection
{
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)1013;

    /// <summary>The first buffer rented for a client message once it has begun to arrive.</summary>
    private const int ReceiveChunk = 4096;

    private readonly WebSocket _socket;
    private readonly Outbox _outbox;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly object _delivery = new();
    // Created on first use (under _delivery): an idle socket carries none of them.
    private Dictionary<string, long>? _sentSeq;
    private HashSet<string>? _resuming;
    private List<RunEvent>? _held;
    private readonly CancellationTokenSource _closed = new();
    private int _startsInFlight;
    private volatile bool _overflowed;
    private int _shutDown;
    private long _lastSentAt = Environment.TickCount64;

    public GatewayConnection(WebSocket socket, int queueFrames, GatewayMetrics metrics, ILogger logger)
    {
        _socket = socket;
        _metrics = metrics;
        _logger = logger;
        _outbox = new Outbox(queueFrames);
    }

    public string Id { get; } = "ws_" + Guid.CreateVersion7().ToString("N");

    /// <summary>Set once credentials are accepted (at the handshake or by an <c>auth</c> frame).</summary>
    public AuthenticatedUser? User { get; set; }

    public long OpenedAt { get; } = Environment.TickCount64;

    /// <summary>When the token stopped being valid and a fresh <c>auth</c> is awaited (TickCount64), else null.</summary>
    public long? ReauthSince { get; set; }

    /// <summary>Set once the socket's token, session or account was revoked; the socket is then closing (1008) and
    /// answers every frame that still arrives with the revocation's error.</summary>
    public Revocation? Revocation => Volatile.Read(ref _revocation);

    private Revocation? _revocation;

    /// <summary>The thread this socket last worked in (the default for <c>stop_agent</c> and history).</summary>
    public string? CurrentThreadId { get; set; }

    public CancellationToken Closed => _closed.Token;

    /// <summary>Per run, the last seq queued on this socket (used under <c>_delivery</c>).</summary>
    private Dictionary<string, long> SentSeq => _sentSeq ??= new(StringComparer.Ordinal);

    public int QueueDepth => _outbox.Count;

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

    /// <summary>Delivers a run event from the bus: in order, once, and not while a resume of that run is replaying
    /// it, nor before the <c>run_accepted</c> of a run this socket is starting, nor from the middle of a run this
    /// socket has not followed from its start.</summary>
    /// <remarks>The bus hands over the events of one log commit at once: they are checked under one lock and
    /// queued under one lock of the outbox, which the send loop contends for.</remarks>
    public void Deliver(IReadOnlyList<RunEvent> events)
    {
        var frames = t_frames ??= [];
        try
        {
            DeliverLocked(events, frames);
        }
        finally
        {
            frames.Clear();
        }
    }

    private void DeliverLocked(IReadOnlyList<RunEvent> events, List<Outgoing> frames)
    {
        lock (_delivery)
        {
            foreach (var runEvent in events)
            {
                if (_resuming?.Contains(runEvent.RunId) == true)
                {
                    continue;
                }

                if (_startsInFlight > 0 && _sentSeq?.ContainsKey(runEvent.RunId) != true)
                {
                    (_held ??= []).Add(runEvent);
                    continue;
                }

                if (FollowsLocked(runEvent))
                {
                    frames.Add(new Outgoing(runEvent.Json, runEvent.Type, null, null));
                }
            }

            if (frames.Count > 0 && _outbox.TryWriteAll(frames) < frames.Count)
            {
                Overflowed();
            }
        }
    }

    /// <summary>A delivering thread's list of frames to queue (nothing per socket, nothing per delivery).</summary>
    [ThreadStatic]
    private static List<Outgoing>? t_frames;

    /// <summary>Runs <paramref name="start"/> (which creates a run) so that its <c>run_accepted</c> is queued before
    /// any of its events.</summary>
    public async Task<T> StartingRunAsync<T>(Func<Task<T>> start, Func<T, string?> runIdOf, Action<T> acknowledge)
    {
        lock (_delivery)
        {
            _startsInFlight++;
        }

        T result = default!;
        try
        {
            result = await start();
            return result;
        }
        finally
        {
            lock (_delivery)
            {
                if (result is not null)
                {
                    acknowledge(result);
                    if (runIdOf(result) is { } runId)
                    {
                        SentSeq.TryAdd(runId, 0);
                    }
                }

                if (--_startsInFlight == 0)
                {
                    foreach (var held in _held ?? [])
                    {
                        if (_resuming?.Contains(held.RunId) != true && FollowsLocked(held))
                        {
                            Send(held.Json, held.Type);
                        }
                    }

                    _held = null;
                }
            }
        }
    }

    /// <summary>Replays a run after <paramref name="afterSeq"/> (stored, then live) on this socket.</summary>
    /// <remarks>If the stored events cannot be read, the client gets <c>RESUME_FAILED</c> (its <c>id</c> as
    /// <c>reply_to</c>) and the socket stops following the run, so no later event skips over what it missed; the
    /// client sends <c>resume</c> again.</remarks>
    public async Task ResumeAsync(IAsyncEnumerable<RunEvent> events, string runId, long afterSeq, JsonElement? replyTo)
    {
        lock (_delivery)
        {
            (_resuming ??= new(StringComparer.Ordinal)).Add(runId);
            SentSeq[runId] = afterSeq;
        }

        try
        {
            await foreach (var runEvent in events.WithCancellation(Closed))
            {
                await SendReplayedAsync(runEvent);
            }
        }
        catch (OperationCanceledException)
        {
            // The socket closed.
        }
        catch (Exception ex)
        {
            LogResumeFailed(ex, Id, runId);
            lock (_delivery)
            {
                SentSeq.Remove(runId);
            }

            SendError(ErrorCodes.ResumeFailed, "The run's stored events could not be read; send resume again.", replyTo);
        }
        finally
        {
            lock (_delivery)
            {
                _resuming!.Remove(runId);
            }
        }
    }

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
                    // which every way out of a connection calls (slow consumer, the end of RunAsync, host shutdown).
                    await _socket.SendAsync(item.Frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
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

    /// <summary>Reads one whole client message. Returns null when the socket closed. A message above
    /// <paramref name="maxSize"/> is read to its end and reported by <c>TooLarge</c>; above <paramref name="hardCap"/>
    /// reading stops (the caller closes with 1009). The caller disposes the message, which returns its buffer.</summary>
    /// <remarks>The wait for a message is a zero-byte read: an idle socket holds no receive buffer (thousands of idle
    /// sockets would otherwise each pin one). A buffer is rented from the pool only once a frame has arrived, and
    /// grows (by renting a larger one) up to the size limit.</remarks>
    public async Task<Incoming?> ReceiveAsync(int maxSize, int hardCap)
    {
        var result = await _socket.ReceiveAsync(Memory<byte>.Empty, Closed);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }

        var type = result.MessageType;
        byte[]? buffer = null;
        long total = 0;
        var kept = 0;
        try
        {
            while (!result.EndOfMessage)
            {
                Memory<byte> target;
                if (total >= maxSize)
                {
                    // Past the limit the content is not used: read the rest of the message into the buffer and drop it.
                    buffer ??= ArrayPool<byte>.Shared.Rent(ReceiveChunk);
                    target = buffer;
                }
                else
                {
                    if (buffer is null || kept == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer is null ? Math.Min(ReceiveChunk, maxSize) : Math.Min(buffer.Length * 2, maxSize));
                        if (buffer is not null)
                        {
                            buffer.AsSpan(0, kept).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                        }

                        buffer = larger;
                    }

                    target = buffer.AsMemory(kept);
                }

                result = await _socket.ReceiveAsync(target, Closed);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                if (total < maxSize)
                {
                    kept += result.Count;
                }

                total += result.Count;
                if (total > hardCap)
                {
                    return new Incoming(type, total, tooLarge: true, overHardCap: true, buffer: null, count: 0);
                }
            }

            var message = new Incoming(type, total, tooLarge: total > maxSize, overHardCap: false, buffer, count: total > maxSize ? 0 : kept);
            buffer = null; // the message owns it now
            return message;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public void Abort()
    {
        _socket.Abort();
        _closed.Cancel();
        _outbox.Complete();
    }

    /// <summary>A replay reads from the log, so unlike live delivery it waits for room in the queue instead of
    /// treating a full queue as a slow consumer: a long resume never overflows a reader that keeps up.</summary>
    private async Task SendReplayedAsync(RunEvent runEvent)
    {
        while (true)
        {
            lock (_delivery)
            {
                if (SentSeq.TryGetValue(runEvent.RunId, out var sent) && runEvent.Seq <= sent)
                {
                    return;
                }

                if (_outbox.TryWrite(new Outgoing(runEvent.Json, runEvent.Type, null, null)))
                {
                    SentSeq[runEvent.RunId] = runEvent.Seq;
                    return;
                }
            }

            if (!await _outbox.WaitToWriteAsync(Closed))
            {
                return;
            }
        }
    }

    /// <summary>Whether this socket sends the event: it follows the event's run and has not sent it yet (and then
    /// records it as sent). A socket follows a run it started or resumed, or saw from its first event. A run already
    /// under way when the socket joined is followed only after a resume, since its live events would otherwise arrive
    /// ahead of the earlier ones the resume replays (a reconnecting client's race).</summary>
    private bool FollowsLocked(RunEvent runEvent)
    {
        // One lookup for the check and the update: this runs for every socket of the user on every event.
        ref var sent = ref CollectionsMarshal.GetValueRefOrNullRef(SentSeq, runEvent.RunId);
        if (Unsafe.IsNullRef(ref sent))
        {
            if (runEvent.Seq != 1)
            {
                return false;
            }

            SentSeq.Add(runEvent.RunId, 1);
        }
        else if (runEvent.Seq <= sent)
        {
            return false;
        }
        else
        {
            sent = runEvent.Seq;
        }

        return true;
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status, string reason)
    {
        if (_socket.State is WebSocketState.CloseSent or WebSocketState.Closed or WebSocketState.Aborted)
        {
            // The WebSocket already closed or failed by itself: closing again would only throw.
            return;
        }

        if (_socket.State != WebSocketState.CloseReceived)
        {
            // The server's own decision; answering the client's close is not one.
            _metrics.ClosedBy((int)status);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            _socket.Abort();
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

    [LoggerMessage(EventId = 711, Level = LogLevel.Error, Message = "Socket {ConnectionId}: replaying run {RunId} failed")]
    private partial void LogResumeFailed(Exception ex, string connectionId, string runId);

    [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Socket {ConnectionId} of user {UserId} fell behind its send queue; closing it as a slow consumer")]
    private partial void LogSlowConsumer(string connectionId, string? userId);

    /// <summary>One client message: its type and length, and (unless too large) its bytes in a pooled buffer that
    /// <see cref="Dispose"/> returns.</summary>
    internal sealed class Incoming(WebSocketMessageType type, long length, bool tooLarge, bool overHardCap, byte[]? buffer, int count) : IDisposable
    {
        private byte[]? _buffer = buffer;

        public WebSocketMessageType Type { get; } = type;

        public long Length { get; } = length;

        public bool TooLarge { get; } = tooLarge;

        public bool OverHardCap { get; } = overHardCap;

        public ReadOnlyMemory<byte> Payload => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, count);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _buffer, null) is { } rented)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
