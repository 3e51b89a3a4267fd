using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Meridian.Server.Gateway;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Tests.Gateway;

/// <summary>One socket's reading and sending, against a scripted WebSocket. Reading: an idle socket waits with a
/// zero-byte read (no buffer held), and a buffer is rented only once a frame has arrived, grown for fragments, and
/// limited by the size caps. Sending: frames go out in order, and an idle send loop ends when the socket is aborted.</summary>
public sealed class ConnectionTests : IDisposable
{
    private const int MaxSize = 8192;
    private const int HardCap = 65536;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ScriptedSocket _socket = new();
    private readonly GatewayConnection _connection;

    public ConnectionTests()
    {
        var metrics = new GatewayMetrics(_services.GetRequiredService<IMeterFactory>(), new ConnectionRegistry());
        _connection = new GatewayConnection(_socket, 64, metrics, NullLogger.Instance);
    }

    public void Dispose() => _services.Dispose();

    private Task<ReceivedMessage?> ReceiveAsync() => ReceivedMessage.ReadAsync(_socket, MaxSize, HardCap, _connection.Closed);

    [Fact]
    public async Task An_idle_socket_waits_with_a_zero_byte_read_and_rents_only_when_a_frame_arrives()
    {
        var receiving = ReceiveAsync();
        await _socket.Waiting.Reader.ReadAsync(TestContext.Current.CancellationToken);

        receiving.IsCompleted.ShouldBeFalse();
        _socket.Requested.ShouldBe([0], "waiting for a message holds no buffer");

        _socket.Push(Text("{\"type\":\"ping\"}"));
        using var message = (await receiving)!;

        Encoding.UTF8.GetString(message.Payload.Span).ShouldBe("{\"type\":\"ping\"}");
        message.Type.ShouldBe(WebSocketMessageType.Text);
        message.TooLarge.ShouldBeFalse();
        _socket.Requested.Count.ShouldBe(2);
        _socket.Requested[1].ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_message_in_fragments_longer_than_the_first_buffer_is_assembled_whole()
    {
        var parts = new[] { new string('a', 3000), new string('b', 3000), new string('c', 2000) };
        _socket.Push(Fragment(parts[0], fin: false), Fragment(parts[1], fin: false), Fragment(parts[2], fin: true));

        using var message = (await ReceiveAsync())!;

        message.Length.ShouldBe(8000);
        message.TooLarge.ShouldBeFalse();
        Encoding.UTF8.GetString(message.Payload.Span).ShouldBe(string.Concat(parts));
    }

    [Fact]
    public async Task A_message_of_exactly_the_limit_is_kept_and_one_byte_more_is_too_large_but_read_to_its_end()
    {
        _socket.Push(Fragment(new string('x', MaxSize - 100), fin: false), Fragment(new string('y', 100), fin: false), Fragment("", fin: true));
        _socket.Push(Text(new string('z', MaxSize + 1)));
        _socket.Push(Text("{\"type\":\"ping\"}"));

        using var exact = (await ReceiveAsync())!;
        using var over = (await ReceiveAsync())!;
        using var next = (await ReceiveAsync())!;

        exact.TooLarge.ShouldBeFalse();
        exact.Payload.Length.ShouldBe(MaxSize);
        Encoding.UTF8.GetString(exact.Payload.Span).ShouldBe(new string('x', MaxSize - 100) + new string('y', 100));
        over.TooLarge.ShouldBeTrue();
        over.OverHardCap.ShouldBeFalse();
        over.Length.ShouldBe(MaxSize + 1);
        over.Payload.Length.ShouldBe(0);
        Encoding.UTF8.GetString(next.Payload.Span).ShouldBe("{\"type\":\"ping\"}", "the oversize message was read to its end");
    }

    [Fact]
    public async Task Reading_stops_above_the_hard_cap()
    {
        _socket.Push(Fragment(new string('x', 40_000), fin: false), Fragment(new string('x', 40_000), fin: false), Fragment("x", fin: true));

        using var message = (await ReceiveAsync())!;

        message.OverHardCap.ShouldBeTrue();
        message.TooLarge.ShouldBeTrue();
        message.Payload.Length.ShouldBe(0);
        _socket.Pending.ShouldBe(1, "the last fragment is never read");
    }

    [Fact]
    public async Task An_empty_message_needs_no_buffer_and_a_close_ends_the_wait()
    {
        _socket.Push(Text(""), new ScriptedSocket.Frame(WebSocketMessageType.Close, [], true));

        using var empty = (await ReceiveAsync())!;
        var closed = await ReceiveAsync();

        empty.Length.ShouldBe(0);
        empty.Payload.Length.ShouldBe(0);
        empty.TooLarge.ShouldBeFalse();
        _socket.Requested.ShouldBe([0, 0], "neither the empty message nor the close needed a buffer");
        closed.ShouldBeNull();
    }

    [Fact]
    public async Task Frames_go_out_in_order_and_an_idle_send_loop_ends_when_the_socket_is_aborted()
    {
        var sending = _connection.SendLoopAsync();
        _connection.Send("{\"type\":\"pong\",\"n\":1}"u8.ToArray(), "pong").ShouldBeTrue();
        _connection.Send("{\"type\":\"pong\",\"n\":2}"u8.ToArray(), "pong").ShouldBeTrue();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_socket.Sent.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        sending.IsCompleted.ShouldBeFalse("the loop waits for more frames");
        _connection.Abort();
        await sending.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        _socket.Sent.ShouldBe(["{\"type\":\"pong\",\"n\":1}", "{\"type\":\"pong\",\"n\":2}"]);
        _socket.Aborted.ShouldBeTrue();
        _connection.Closed.IsCancellationRequested.ShouldBeTrue();
        _connection.Send("{}"u8.ToArray(), "pong").ShouldBeFalse("nothing is queued on an aborted socket");
    }

    private static ScriptedSocket.Frame Text(string text) => new(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text), true);

    private static ScriptedSocket.Frame Fragment(string text, bool fin) => new(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text), fin);

    /// <summary>A WebSocket whose incoming frames a test pushes. Like ManagedWebSocket, a zero-byte read waits for
    /// a frame and reports its type without consuming it; a read with a buffer consumes up to its length.</summary>
    private sealed class ScriptedSocket : WebSocket
    {
        private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>();
        private Frame? _current;
        private int _offset;

        public List<int> Requested { get; } = [];

        public System.Collections.Concurrent.ConcurrentQueue<string> Sent { get; } = new();

        public bool Aborted { get; private set; }

        /// <summary>Signalled each time a read has to wait for a frame.</summary>
        public Channel<bool> Waiting { get; } = Channel.CreateUnbounded<bool>();

        public int Pending => _frames.Reader.Count;

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => WebSocketState.Open;

        public override string? SubProtocol => null;

        public void Push(params Frame[] frames)
        {
            foreach (var frame in frames)
            {
                _frames.Writer.TryWrite(frame);
            }
        }

        public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            Requested.Add(buffer.Length);
            if (_current is null)
            {
                if (!_frames.Reader.TryRead(out var next))
                {
                    Waiting.Writer.TryWrite(true);
                    next = await _frames.Reader.ReadAsync(cancellationToken);
                }

                _current = next;
                _offset = 0;
            }

            var frame = _current;
            if (frame.Type == WebSocketMessageType.Close)
            {
                _current = null;
                return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
            }

            var count = Math.Min(buffer.Length, frame.Payload.Length - _offset);
            frame.Payload.AsSpan(_offset, count).CopyTo(buffer.Span);
            _offset += count;
            var consumed = _offset == frame.Payload.Length;
            if (consumed && (buffer.Length > 0 || frame.Payload.Length == 0))
            {
                _current = null;
            }

            return new ValueWebSocketReceiveResult(count, frame.Type, consumed && frame.Fin);
        }

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Sent.Enqueue(Encoding.UTF8.GetString(buffer));
            return Task.CompletedTask;
        }

        public override void Abort() => Aborted = true;

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }

        public sealed record Frame(WebSocketMessageType Type, byte[] Payload, bool Fin);
    }
}
