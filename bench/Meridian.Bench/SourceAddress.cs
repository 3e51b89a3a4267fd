using System.Net;
using System.Net.Sockets;

namespace Meridian.Bench;

/// <summary>Connections that leave from a chosen loopback address (127.0.0.x): each source address has its own
/// ephemeral ports, so several of them pass the ~28k ports of one address.</summary>
internal static class SourceAddress
{
    /// <summary>An invoker for <c>ClientWebSocket.ConnectAsync(uri, invoker, ct)</c> whose connections are bound to
    /// <paramref name="local"/>.</summary>
    public static HttpMessageInvoker InvokerFrom(IPAddress local) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
