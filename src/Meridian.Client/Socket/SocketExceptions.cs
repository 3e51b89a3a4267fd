using Meridian.Client.Events;

namespace Meridian.Client.Socket;

/// <summary>What stage of opening a socket (or making an HTTP call) failed.</summary>
public enum TransportStage
{
    /// <summary>The host name did not resolve.</summary>
    Dns,

    /// <summary>No TCP connection (refused, unreachable, reset).</summary>
    Tcp,

    /// <summary>The TLS handshake failed (certificate, protocol).</summary>
    Tls,

    /// <summary>The server answered the upgrade with an HTTP status other than 101.</summary>
    Upgrade,

    /// <summary>The 101 answer selected a subprotocol the client did not offer.</summary>
    Subprotocol,

    /// <summary>Nothing answered within the time allowed.</summary>
    Timeout,

    /// <summary>Anything else (a protocol error, a reset mid-handshake).</summary>
    Other,
}

/// <summary>The socket could not be opened. <see cref="Status"/> and <see cref="Headers"/> are those of the
/// upgrade answer when there was one.</summary>
public sealed class SocketConnectException(
    Uri uri, TransportStage stage, string message, int? status = null,
    IReadOnlyDictionary<string, string>? headers = null, Exception? inner = null)
    : Exception(message, inner)
{
    public Uri Uri { get; } = uri;

    public TransportStage Stage { get; } = stage;

    public int? Status { get; } = status;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();
}

/// <summary>The server closed (or the network cut) the socket while the caller was waiting for a frame.</summary>
public sealed class SocketClosedException(int? closeStatus, string? description, TimeSpan sinceConnect, bool afterWelcome, IReadOnlyList<ServerFrame> lastFrames)
    : Exception(Describe(closeStatus, description, sinceConnect, afterWelcome))
{
    /// <summary>The close code (1000, 1001, 1008, 1011, …), or null when the connection ended without a close frame.</summary>
    public int? CloseStatus { get; } = closeStatus;

    public string? Description { get; } = description;

    public TimeSpan SinceConnect { get; } = sinceConnect;

    public bool AfterWelcome { get; } = afterWelcome;

    public IReadOnlyList<ServerFrame> LastFrames { get; } = lastFrames;

    public static string Describe(int? code, string? description, TimeSpan sinceConnect, bool afterWelcome) =>
        (code is { } c ? $"socket closed with code {c} ({CloseCodes.Name(c)}" + (string.IsNullOrEmpty(description) ? ")" : $": {description})") : "socket dropped without a close frame")
        + $" {sinceConnect.TotalMilliseconds:0} ms after connect" + (afterWelcome ? ", after the welcome" : ", before any welcome");
}

/// <summary>No frame matching what the caller waited for arrived in time.</summary>
public sealed class FrameTimeoutException(string waitingFor, TimeSpan timeout, IReadOnlyList<ServerFrame> lastFrames)
    : TimeoutException($"timeout after {timeout.TotalSeconds:0.#} s waiting for {waitingFor}")
{
    public string WaitingFor { get; } = waitingFor;

    public TimeSpan Timeout { get; } = timeout;

    public IReadOnlyList<ServerFrame> LastFrames { get; } = lastFrames;
}

/// <summary>RFC 6455 close codes by name.</summary>
public static class CloseCodes
{
    public static string Name(int code) => code switch
    {
        1000 => "normal closure",
        1001 => "going away",
        1002 => "protocol error",
        1003 => "unsupported data",
        1005 => "no status",
        1006 => "abnormal closure",
        1007 => "invalid payload",
        1008 => "policy violation",
        1009 => "message too big",
        1010 => "mandatory extension",
        1011 => "internal error",
        1012 => "service restart",
        1013 => "try again later",
        1014 => "bad gateway",
        1015 => "TLS handshake",
        _ => "application code",
    };
}
