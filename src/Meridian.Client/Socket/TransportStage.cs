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
