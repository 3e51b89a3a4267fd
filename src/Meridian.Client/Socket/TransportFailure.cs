using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace Meridian.Client.Socket;

/// <summary>Names the stage of a transport failure from the exception chain .NET raises for it.</summary>
public static class TransportFailure
{
    public static TransportStage? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return TransportStage.Dns;
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                case AuthenticationException:
                    return TransportStage.Tls;
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return TransportStage.Dns;
                case SocketException:
                    return TransportStage.Tcp;
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }:
                    return TransportStage.Tcp;
                case WebSocketException { WebSocketErrorCode: WebSocketError.UnsupportedProtocol }:
                    return TransportStage.Subprotocol;
                case TimeoutException or OperationCanceledException:
                    return TransportStage.Timeout;
            }
        }

        return null;
    }

    /// <summary>The innermost message, which names the real cause (".NET: Connection refused (127.0.0.1:1)").</summary>
    public static string RootMessage(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e == exception || exception.Message.Contains(e.Message, StringComparison.Ordinal) ? exception.Message : $"{exception.Message} ({e.Message})";
    }
}
