using System.Net.WebSockets;
using Meridian.Testing.Sockets;

namespace Meridian.Bench.WsFanout;

/// <summary>N client sockets (<see cref="WsClient"/>), each with a lean receive loop of its own that reads frames as
/// bytes and reports marked ones to the current driver: no parsing or keeping of frames, which would add client
/// work to the delivery latency of both sides.</summary>
internal sealed class FanoutReceivers : IAsyncDisposable
{
    private readonly List<WsClient> _sockets = [];
    private readonly List<List<double>> _latencies = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private int _closed;

    public volatile FanoutDriver? Driver;

    public int Count => _sockets.Count;

    public int Closed => Volatile.Read(ref _closed);

    /// <summary>The first marked frame seen, as received.</summary>
    public byte[]? Template { get; private set; }

    /// <summary>Opens <paramref name="count"/> sockets to <paramref name="server"/>, 50 at a time: authenticated ones,
    /// each past its welcome, when a token is given; plain ones (the baseline) when not.</summary>
    public static async Task<FanoutReceivers> ConnectAsync(Uri server, int count, string? token)
    {
        var clients = new FanoutReceivers();
        var wait = TimeSpan.FromSeconds(30);
        for (var i = 0; i < count; i += 50)
        {
            var batch = await Task.WhenAll(Enumerable.Range(i, Math.Min(50, count - i)).Select(_ => token is null
                ? WsClient.ConnectAsync(server, keepAlive: TimeSpan.Zero, wait: wait)
                : WsClient.OpenAsync(server, token, keepAlive: TimeSpan.Zero, wait: wait)));
            foreach (var client in batch)
            {
                var latencies = new List<double>();
                clients._sockets.Add(client);
                clients._latencies.Add(latencies);
                clients._loops.Add(Task.Run(() => clients.ReceiveLoopAsync(client.Socket, latencies)));
            }
        }

        return clients;
    }

    /// <summary>Every latency recorded since the last call.</summary>
    public Samples TakeLatencies()
    {
        var samples = new Samples();
        foreach (var list in _latencies)
        {
            lock (list)
            {
                foreach (var ms in list)
                {
                    samples.Add(TimeSpan.FromMilliseconds(ms));
                }

                list.Clear();
            }
        }

        return samples;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var client in _sockets)
        {
            client.Socket.Abort();
        }

        await Task.WhenAll(_loops);
        foreach (var client in _sockets)
        {
            await client.DisposeAsync();
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, List<double> latencies)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    // No token: one source shared by every client socket makes each receive contend on its
                    // registrations (client-side cost that would dilute both sides); DisposeAsync aborts the sockets.
                    result = await socket.ReceiveAsync(buffer.AsMemory(total), CancellationToken.None);
                    total += result.Count;
                }
                while (!result.EndOfMessage && total < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Interlocked.Increment(ref _closed);
                    return;
                }

                var frame = buffer.AsSpan(0, total);
                if (FanoutMarker.TryRead(frame, out var index, out var timestamp) && Driver is { } driver)
                {
                    Template ??= frame.ToArray();
                    lock (latencies)
                    {
                        driver.Received(index, timestamp, latencies);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            if (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _closed);
            }
        }
    }
}
