using Meridian.Client.Events;

namespace Meridian.Client.Socket;

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
