using System.Net;
using System.Net.Sockets;

namespace Meridian.Testing.Processes;

/// <summary>A loopback port no one listens on right now, for a child process to listen on.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
