using System.Diagnostics;
using System.Threading.Channels;
using Meridian.Client.Events;

namespace Meridian.Client.Socket;

/// <summary>The frames a <see cref="MeridianSocket"/> received and not yet handed out, in arrival order, with bounded
/// waits that say what they waited for; the last frames received (for those messages); and how the current socket
/// closed. A reconnect starts a new generation: the close of a replaced socket is not the close of this one.</summary>
internal sealed class FrameInbox(Func<bool> welcomed)
{
    public const int HistoryLimit = 2000;

    // Frames wait here until a wait takes them. Bounded, so a client that only watches FrameReceived and never
    // reads does not grow without limit: past the bound the oldest unread frames go (History keeps them).
    private readonly Channel<ServerFrame> _frames = Channel.CreateBounded<ServerFrame>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly List<ServerFrame> _history = [];
    private readonly LinkedList<ServerFrame> _stash = new();
    private Stopwatch _connected = Stopwatch.StartNew();
    private int _generation;
    private Closed? _closed;

    public int Generation => _generation;

    public Closed? ClosedState => _closed;

    /// <summary>True when the current socket closed.</summary>
    public bool IsClosed => _closed is { } closed && closed.Generation == _generation;

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

    /// <summary>Keeps a received frame in <see cref="History"/>.</summary>
    public void Record(ServerFrame frame)
    {
        lock (_history)
        {
            _history.Add(frame);
            if (_history.Count > HistoryLimit)
            {
                _history.RemoveRange(0, _history.Count - HistoryLimit);
            }
        }
    }

    /// <summary>Hands a received frame to the waits.</summary>
    public void Post(ServerFrame frame) => _frames.Writer.TryWrite(frame);

    public void MarkClosed(int generation, int? status, string? description)
    {
        _closed = new Closed(generation, status, description, _connected.Elapsed);
        _frames.Writer.TryWrite(new ClosedMarker(generation));
    }

    /// <summary>Before a reconnect: what the old socket received stays readable, in order, ahead of the new
    /// socket's frames.</summary>
    public void StashPending()
    {
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
    }

    /// <summary>A new socket replaced the old one.</summary>
    public void NextGeneration()
    {
        _generation++;
        _connected = Stopwatch.StartNew();
    }

    /// <summary>Takes the first frame that matches, looking first (unless <paramref name="fresh"/>) at frames earlier
    /// waits passed over; frames passed over are kept, in order, for later waits.</summary>
    public async Task<ServerFrame> WaitForAsync(Func<ServerFrame, bool> match, string waitingFor, TimeSpan timeout, bool fresh, CancellationToken ct)
    {
        if (TakeStashed(match, fresh) is { } stashed)
        {
            return stashed;
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

    public SocketClosedException ClosedException() =>
        new(_closed!.Status, _closed.Description, _closed.SinceConnect, welcomed(), Last(10));

    public List<ServerFrame> Last(int count)
    {
        lock (_history)
        {
            return _history.TakeLast(count).ToList();
        }
    }

    private ServerFrame? TakeStashed(Func<ServerFrame, bool> match, bool fresh)
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

        return null;
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

                    continue; // the close of a socket replaced by a reconnect
                }

                return frame;
            }

            if (IsClosed)
            {
                throw ClosedException();
            }

            await _frames.Reader.WaitToReadAsync(ct);
        }
    }

    public sealed record Closed(int Generation, int? Status, string? Description, TimeSpan SinceConnect);

    private sealed class ClosedMarker(int generation) : ServerFrame(default, DateTimeOffset.UtcNow)
    {
        public int Generation { get; } = generation;
    }
}
