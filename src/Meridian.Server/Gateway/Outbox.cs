using System.Threading.Tasks.Sources;

namespace Meridian.Server.Gateway;

/// <summary>One socket's bounded queue of outgoing frames, read by its send loop alone. A Channel would do the same
/// job, but it carries ~0.9 KB of objects per socket (reader, writer, pre-allocated waiters, a completion source,
/// deques) whether or not anything is ever sent, and thousands of mostly idle sockets each pay for it. This keeps
/// one object, a ring of frames created on first use and dropped again when a burst has drained, and one reusable
/// waiter for the send loop.</summary>
/// <remarks>Locks on itself: the instance never leaves its <see cref="GatewayConnection"/>, and a lock object of its
/// own would be one more allocation per socket.</remarks>
internal sealed class Outbox(int capacity) : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    /// <summary>Frames kept room for once a socket has sent anything; a ring grown past this by a burst is dropped
    /// when the burst has drained.</summary>
    private const int IdleRing = 4;

    private Outgoing[] _ring = [];
    private int _head;
    private int _count;
    private bool _completed;
    private bool _readerWaiting;
    private ManualResetValueTaskSourceCore<bool> _reader;
    private bool _wakeResult;
    private TaskCompletionSource? _room;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Queues a frame; false when the queue is full or completed.</summary>
    public bool TryWrite(Outgoing item)
    {
        lock (this)
        {
            if (_completed || _count == capacity)
            {
                return false;
            }

            AppendLocked(item);
            if (!_readerWaiting)
            {
                return true;
            }

            _readerWaiting = false;
        }

        Wake(true);
        return true;
    }

    /// <summary>Queues frames in order, as many as there is room for; returns how many (0 when completed).</summary>
    public int TryWriteAll(List<Outgoing> items)
    {
        int written;
        lock (this)
        {
            written = _completed ? 0 : Math.Min(items.Count, capacity - _count);
            for (var i = 0; i < written; i++)
            {
                AppendLocked(items[i]);
            }

            if (written == 0 || !_readerWaiting)
            {
                return written;
            }

            _readerWaiting = false;
        }

        Wake(true);
        return written;
    }

    private void AppendLocked(Outgoing item)
    {
        if (_count == _ring.Length)
        {
            Resize(Math.Min(capacity, Math.Max(IdleRing, _ring.Length * 2)));
        }

        _ring[(_head + _count) % _ring.Length] = item;
        _count++;
    }

    public bool TryRead(out Outgoing item)
    {
        TaskCompletionSource? room;
        lock (this)
        {
            if (_count == 0)
            {
                item = default;
                return false;
            }

            item = _ring[_head];
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
            if (_count == 0 && _ring.Length > IdleRing)
            {
                _ring = new Outgoing[IdleRing];
                _head = 0;
            }

            room = _room;
            _room = null;
        }

        room?.TrySetResult();
        return true;
    }

    /// <summary>True when a frame can be read; false once the queue is completed. One waiter at a time (the send loop).</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (this)
        {
            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            if (_count > 0)
            {
                return new ValueTask<bool>(true);
            }

            _reader.Reset();
            _readerWaiting = true;
            return new ValueTask<bool>(this, _reader.Version);
        }
    }

    /// <summary>Waits until the queue has room; false once it is completed.</summary>
    public async ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (this)
            {
                if (_completed)
                {
                    return false;
                }

                if (_count < capacity)
                {
                    return true;
                }

                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await room.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Ends the queue: the reader's wait answers false, as do writes and waits for room.</summary>
    public void Complete()
    {
        TaskCompletionSource? room;
        bool wake;
        lock (this)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            wake = _readerWaiting;
            _readerWaiting = false;
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
        if (wake)
        {
            Wake(false);
        }
    }

    /// <summary>The send loop continues on the thread pool, queued globally (this object is the work item, so
    /// waking allocates nothing): a publisher delivering one event to many sockets never runs their send loops
    /// itself, nor lines them up in its own thread's queue ahead of its next event.</summary>
    private void Wake(bool result)
    {
        _wakeResult = result;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute() => _reader.SetResult(_wakeResult);

    bool IValueTaskSource<bool>.GetResult(short token) => _reader.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _reader.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _reader.OnCompleted(continuation, state, token, flags);

    private void Resize(int size)
    {
        var larger = new Outgoing[size];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _ring[(_head + i) % _ring.Length];
        }

        _ring = larger;
        _head = 0;
    }
}
