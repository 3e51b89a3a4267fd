using System.Net.Sockets;

namespace Meridian.Tests.Infrastructure;

/// <summary>An HTTP client that keeps to one keep-alive connection and counts the connections it had to open: a
/// server that drops the connection after an answer shows as a second one (or as a failed request).</summary>
internal sealed class OneConnectionClient : IDisposable
{
    private int _connections;

    public OneConnectionClient(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, ct) =>
            {
                Interlocked.Increment(ref _connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        Http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public int Connections => Volatile.Read(ref _connections);

    public void Dispose() => Http.Dispose();
}
