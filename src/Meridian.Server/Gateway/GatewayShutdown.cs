using System.Net.WebSockets;
using Meridian.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>On shutdown, tells every socket (<c>server_shutdown</c> with the drain time) and closes it with 1001,
/// before in-flight runs are drained: clients reconnect elsewhere and resume from the event log.</summary>
internal sealed class GatewayShutdown(ConnectionRegistry registry, IOptions<ServerOptions> server) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var frame = Frames.Build("server_shutdown", null, w => w.WriteNumber("drain_seconds", server.Value.DrainSeconds));
        var connections = registry.All.ToList();
        foreach (var connection in connections)
        {
            connection.Send(frame, "server_shutdown");
            connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
        }

        // Give the send loops a moment to put the frames on the wire.
        var flushed = Task.WhenAll(connections.Select(c => Task.Delay(Timeout.Infinite, c.Closed).ContinueWith(_ => { }, TaskScheduler.Default)));
        await Task.WhenAny(flushed, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
