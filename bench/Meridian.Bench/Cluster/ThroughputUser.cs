using System.Net.WebSockets;
using Meridian.Testing.Sockets;

namespace Meridian.Bench.Cluster;

/// <summary>One user of the throughput measurement: a socket of its own, a message, the run's events read to its
/// terminal event, the next message at once. Frames are read as bytes and only their type is looked at.</summary>
internal sealed class ThroughputUser(WsClient client) : IAsyncDisposable
{
    public const string Message =
        "We spend about $12k a month on GPT-4o for support chat and document Q&A; p95 latency is 4 s. How can we cut the cost by 40% without making it slower?";

    private readonly byte[] _buffer = new byte[256 * 1024];

    public static async Task<ThroughputUser> ConnectAsync(Uri node, string userId) =>
        new(await WsClient.OpenAsync(node, BenchAuth.Token(userId, TimeSpan.FromHours(2)), keepAlive: TimeSpan.Zero, wait: TimeSpan.FromSeconds(60)));

    /// <summary>Takes turns until <paramref name="stop"/>; the turn under way then is finished.</summary>
    public async Task RunAsync(ThroughputCounter counter, CancellationToken stop)
    {
        for (var turn = 1; !stop.IsCancellationRequested; turn++)
        {
            try
            {
                await client.SendAsync(new { type = "user_message", content = Message, id = $"t{turn}" });
                var end = await UntilEndAsync();
                counter.Ended(end);
                if (end == "error")
                {
                    // Refused (a limit): try again a little later.
                    await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
            {
                counter.SocketClosed();
                return;
            }
        }
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();

    /// <summary>Reads frames until the run's terminal event or an <c>error</c> frame; returns its type.</summary>
    private async Task<string> UntilEndAsync()
    {
        while (true)
        {
            var total = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.Socket.ReceiveAsync(_buffer.AsMemory(total), CancellationToken.None);
                total += result.Count;
            }
            while (!result.EndOfMessage && total < _buffer.Length);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed: {client.Socket.CloseStatus} {client.Socket.CloseStatusDescription}");
            }

            var type = FrameType.Of(_buffer.AsSpan(0, total));
            if (type == "error" || FrameType.Terminal.Contains(type))
            {
                return type!;
            }
        }
    }
}
