using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Meridian.Bench;

/// <summary>What the WebSocket benchmarks share: tokens the server accepts, clients bound to a chosen loopback
/// source address, and the process limits that decide how many sockets a process may hold.</summary>
internal static class WsClients
{
    /// <summary>The HS256 key the benchmark servers are started with (Auth:JwtSecret).</summary>
    public const string Secret = "meridian-bench-secret-0123456789-abcdefghij";

    /// <summary>An HS256 access token for <paramref name="userId"/>, as another issuer sharing the key would mint it
    /// (the server provisions the user on first use).</summary>
    public static string Token(string userId, TimeSpan lifetime)
    {
        static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
        var header = B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8.ToArray());
        var exp = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds();
        var payload = B64(Encoding.UTF8.GetBytes($"{{\"sub\":\"{userId}\",\"exp\":{exp}}}"));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(header + "." + payload));
        return header + "." + payload + "." + B64(signature);
    }

    /// <summary>An invoker whose connections leave from <paramref name="local"/> (127.0.0.x): each source address
    /// has its own ephemeral ports, so several of them pass the ~28k ports of one address.</summary>
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

    /// <summary>Opens an authenticated socket and waits for its welcome frame; returns the socket and the time
    /// from the start of the connect to the end of the welcome.</summary>
    public static async Task<(ClientWebSocket Socket, TimeSpan Welcome)> ConnectAsync(
        Uri uri, string token, HttpMessageInvoker? invoker, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        // The server pings; the client answers while a receive is pending and sends no keep-alives of its own.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(uri, invoker, cancellationToken);
            var buffer = new byte[2048];
            var total = 0;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(total), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new WebSocketException($"closed before the welcome: {socket.CloseStatus} {socket.CloseStatusDescription}");
                }

                total += result.Count;
                if (result.EndOfMessage)
                {
                    break;
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (buffer.AsSpan(0, total).IndexOf("connection_established"u8) >= 0)
            {
                return (socket, elapsed);
            }

            throw new WebSocketException("the first frame was not the welcome: " + Encoding.UTF8.GetString(buffer, 0, total));
        }
        catch
        {
            socket.Abort();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads and drops frames (heartbeats, pings) until the socket closes; true when the server closed or
    /// cut it, false when <paramref name="cancellationToken"/> ended the wait.</summary>
    public static async Task<bool> DrainAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }

    /// <summary>The open-file limit (soft, hard) of this process.</summary>
    public static (ulong Soft, ulong Hard) FileLimit()
    {
        var limit = default(RLimit);
        return getrlimit(RlimitNofile, ref limit) == 0 ? (limit.Current, limit.Max) : (0, 0);
    }

    /// <summary>Raises this process's open-file limit (children inherit it) to at least <paramref name="wanted"/>.
    /// Raising the soft limit up to the hard one always works; raising the hard limit needs CAP_SYS_RESOURCE.
    /// Returns the soft limit in force afterwards.</summary>
    public static ulong RaiseFileLimit(ulong wanted)
    {
        var (soft, hard) = FileLimit();
        if (soft >= wanted)
        {
            return soft;
        }

        var raised = new RLimit { Current = wanted, Max = Math.Max(wanted, hard) };
        if (setrlimit(RlimitNofile, ref raised) == 0)
        {
            return wanted;
        }

        var capped = new RLimit { Current = hard, Max = hard };
        return setrlimit(RlimitNofile, ref capped) == 0 ? hard : soft;
    }

    /// <summary>The resident set size of a process (VmRSS of /proc/&lt;pid&gt;/status), in bytes.</summary>
    public static long Rss(int pid) => StatusKiB(pid, "VmRSS:") * 1024;

    public static long StatusKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public static int OpenFiles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>The open-file limit of another process, from /proc/&lt;pid&gt;/limits.</summary>
    public static long FileLimitOf(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return long.Parse(line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private const int RlimitNofile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, ref RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref RLimit limit);
}
