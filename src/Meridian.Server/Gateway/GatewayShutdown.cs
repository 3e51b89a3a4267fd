using Meridian.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>On shutdown, tells every socket (<c>server_shutdown</c> with the drain time) and closes it with 1001,
/// before in-flight runs are drained: clients reconnect elsewhere and resume from the event log.</summary>
/// <remarks>The node turns to draining first, so a client that reconnects at once is refused (503) rather than
/// accepted by a node on its way out; a handshake already past its checks tells its own socket
/// (<see cref="GatewayConnection.ShutDown"/> after registering, when the node is draining).</remarks>
internal sealed class GatewayShutdown(ConnectionRegistry registry, StartupState state, IOptions<ServerOptions> server) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDrain();
        var frame = Frame(server.Value.DrainSeconds);
        var connections = registry.All.ToList();
        foreach (var connection in connections)
        {
            connection.ShutDown(frame);
        }

        // Give the send loops a moment to put the frames on the wire.
        var flushed = Task.WhenAll(connections.Select(c => Task.Delay(Timeout.Infinite, c.Closed).ContinueWith(_ => { }, TaskScheduler.Default)));
        await Task.WhenAny(flushed, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
    }

    public static byte[] Frame(int drainSeconds) =>
        Frames.Build("server_shutdown", null, w => w.WriteNumber("drain_seconds", drainSeconds));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
