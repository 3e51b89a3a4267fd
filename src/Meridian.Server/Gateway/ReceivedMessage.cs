using System.Buffers;
using System.Net.WebSockets;

namespace Meridian.Server.Gateway;

/// <summary>One whole client message: its type and length, and (unless too large) its bytes in a pooled buffer that
/// <see cref="Dispose"/> returns.</summary>
internal sealed class ReceivedMessage : IDisposable
{
    /// <summary>The first buffer rented for a client message once it has begun to arrive.</summary>
    private const int ReceiveChunk = 4096;

    private readonly int _count;
    private byte[]? _buffer;

    private ReceivedMessage(WebSocketMessageType type, long length, bool tooLarge, bool overHardCap, byte[]? buffer, int count)
    {
        Type = type;
        Length = length;
        TooLarge = tooLarge;
        OverHardCap = overHardCap;
        _buffer = buffer;
        _count = count;
    }

    public WebSocketMessageType Type { get; }

    public long Length { get; }

    public bool TooLarge { get; }

    public bool OverHardCap { get; }

    public ReadOnlyMemory<byte> Payload => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _count);

    /// <summary>Reads one whole client message. Returns null when the socket closed. A message above
    /// <paramref name="maxSize"/> is read to its end and reported by <see cref="TooLarge"/>; above
    /// <paramref name="hardCap"/> reading stops (the caller closes with 1009). The caller disposes the message,
    /// which returns its buffer.</summary>
    /// <remarks>The wait for a message is a zero-byte read: an idle socket holds no receive buffer (thousands of idle
    /// sockets would otherwise each pin one). A buffer is rented from the pool only once a frame has arrived, and
    /// grows (by renting a larger one) up to the size limit.</remarks>
    public static async Task<ReceivedMessage?> ReadAsync(WebSocket socket, int maxSize, int hardCap, CancellationToken cancellationToken)
    {
        var result = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
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
                        buffer = Grow(buffer, kept, maxSize);
                    }

                    target = buffer.AsMemory(kept);
                }

                result = await socket.ReceiveAsync(target, cancellationToken);
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
                    return new ReceivedMessage(type, total, tooLarge: true, overHardCap: true, buffer: null, count: 0);
                }
            }

            var message = new ReceivedMessage(type, total, tooLarge: total > maxSize, overHardCap: false, buffer, count: total > maxSize ? 0 : kept);
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

    /// <summary>The first buffer, or one twice as large holding the <paramref name="kept"/> bytes so far (the old one
    /// goes back to the pool); never beyond <paramref name="maxSize"/>.</summary>
    private static byte[] Grow(byte[]? buffer, int kept, int maxSize)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer is null ? Math.Min(ReceiveChunk, maxSize) : Math.Min(buffer.Length * 2, maxSize));
        if (buffer is not null)
        {
            buffer.AsSpan(0, kept).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return larger;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
