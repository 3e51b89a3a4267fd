using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Bench.WsFanout;

/// <summary>The baseline: a bare Kestrel app whose sockets each get a channel and a send loop; a broadcaster
/// writes each event's frame (Meridian's frame bytes with a fresh marker) to every socket's channel.</summary>
internal sealed class BaselineHost : FanoutHost, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Channel<byte[]>> _outboxes;

    private BaselineHost(WebApplication app, List<Channel<byte[]>> outboxes)
        : base(app)
    {
        _app = app;
        _outboxes = outboxes;
    }

    public byte[]? Template { get; set; }

    public static async Task<BaselineHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var outboxes = new List<Channel<byte[]>>();
        app.UseWebSockets();
        app.Run(async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { SingleReader = true });
            lock (outboxes)
            {
                outboxes.Add(outbox);
            }

            var sending = Task.Run(async () =>
            {
                try
                {
                    await foreach (var frame in outbox.Reader.ReadAllAsync())
                    {
                        await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    }
                }
                catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
                {
                }
            });
            var buffer = new byte[1024];
            try
            {
                while ((await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted)).MessageType != WebSocketMessageType.Close)
                {
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }

            lock (outboxes)
            {
                outboxes.Remove(outbox);
            }

            outbox.Writer.TryComplete();
            await sending;
        });
        await app.StartAsync();
        return new BaselineHost(app, outboxes);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    protected override Task ProduceAsync(FanoutDriver driver) => Task.Run(async () =>
    {
        var template = Template!;
        var at = template.AsSpan().IndexOf("@i="u8);
        Channel<byte[]>[] outboxes;
        lock (_outboxes)
        {
            outboxes = [.. _outboxes];
        }

        while (await driver.NextAsync() is { } index)
        {
            var frame = template.ToArray();
            Encoding.ASCII.GetBytes(FanoutMarker.Write(index, Stopwatch.GetTimestamp()), frame.AsSpan(at));
            foreach (var outbox in outboxes)
            {
                outbox.Writer.TryWrite(frame);
            }
        }
    });
}
