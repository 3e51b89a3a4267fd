using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Meridian.Client.Socket;

/// <summary>Opens the <c>ClientWebSocket</c> of a <see cref="MeridianSocket"/>: the token where
/// <see cref="SocketOptions.Placement"/> says (docs/protocol.md#1-connecting), the extra subprotocols and headers,
/// and a failure that says at which stage the connect failed.</summary>
internal static class SocketOpener
{
    public static async Task<ClientWebSocket> OpenAsync(Uri uri, SocketOptions options, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var target = Configure(socket, uri, options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
            return socket;
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            var status = (int)socket.HttpStatusCode;
            var headers = socket.HttpResponseHeaders?.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            socket.Dispose();
            if (status is not 0 and not (int)HttpStatusCode.SwitchingProtocols)
            {
                throw new SocketConnectException(uri, TransportStage.Upgrade, $"HTTP {status} on the WebSocket upgrade of {uri}", status, headers, ex);
            }

            var stage = ex is OperationCanceledException ? TransportStage.Timeout : TransportFailure.Classify(ex) ?? TransportStage.Other;
            var message = stage == TransportStage.Timeout
                ? $"no WebSocket upgrade from {uri} within {options.ConnectTimeout.TotalSeconds:0.#} s"
                : TransportFailure.RootMessage(ex);
            throw new SocketConnectException(uri, stage, message, status == 0 ? null : status, headers, ex);
        }
    }

    /// <summary>Sets the upgrade request's token, subprotocols and headers; returns the URI to connect to.</summary>
    private static Uri Configure(ClientWebSocket socket, Uri uri, SocketOptions options)
    {
        var target = uri;
        switch (options.Placement)
        {
            case TokenPlacement.Header when options.Token is not null:
                socket.Options.SetRequestHeader("Authorization", "Bearer " + options.Token);
                break;
            case TokenPlacement.Subprotocol when options.Token is not null:
                socket.Options.AddSubProtocol(SocketOptions.JwtAuthProtocol);
                socket.Options.AddSubProtocol("jwt." + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(options.Token)));
                break;
            case TokenPlacement.Query when options.Token is not null:
                target = new UriBuilder(uri) { Query = "token=" + Uri.EscapeDataString(options.Token) }.Uri;
                break;
        }

        foreach (var protocol in options.Subprotocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }

        foreach (var (name, value) in options.Headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        return target;
    }
}
