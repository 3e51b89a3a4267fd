using System.Net.Sockets;
using System.Text;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Gateway;

/// <summary>A WebSocket upgrade written by hand, to see the exact status and headers of the handshake.</summary>
public static class RawHandshake
{
    public static async Task<(int Status, Dictionary<string, string> Headers, string Body)> SendAsync(
        ServerHarness server, IDictionary<string, string>? headers = null, string path = "/ws")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        var request = new StringBuilder()
            .Append($"GET {path} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Append($"{name}: {value}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lines = text[..end].Split("\r\n");
                var status = int.Parse(lines[0].Split(' ')[1]);
                var parsed = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
                if (status == 101 || (parsed.TryGetValue("Content-Length", out var length) && text.Length - end - 4 >= int.Parse(length)) || text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                {
                    return (status, parsed, status == 101 ? "" : text[(end + 4)..]);
                }
            }

            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                var all = Encoding.UTF8.GetString(received.ToArray());
                var e = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                var lines = all[..e].Split("\r\n");
                return (int.Parse(lines[0].Split(' ')[1]), lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase), all[(e + 4)..]);
            }

            received.Write(buffer, 0, read);
        }
    }
}
