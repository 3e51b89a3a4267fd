using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Meridian.Client.Events;

namespace Meridian.Client.Socket;

/// <summary>The receive loop of one <c>ClientWebSocket</c>: whole messages parsed into frames, in arrival order,
/// and the close (the server's, answered, or a cut connection) reported once.</summary>
internal static class SocketReader
{
    /// <param name="deliver">Called with each frame, on the loop.</param>
    /// <param name="closed">Called once when the socket closes, with its close code and description.</param>
    public static async Task ReceiveLoopAsync(ClientWebSocket socket, Action<ServerFrame> deliver, Action<int?, string?> closed)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    closed((int?)socket.CloseStatus, socket.CloseStatusDescription);
                    await AnswerCloseAsync(socket);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    deliver(Parse(message.ToArray()));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            closed((int?)socket.CloseStatus, socket.CloseStatusDescription ?? ex.Message);
        }
    }

    /// <summary>Completes the close handshake the server started (bounded; a peer that is gone is not waited for).</summary>
    private static async Task AnswerCloseAsync(ClientWebSocket socket)
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static ServerFrame Parse(byte[] bytes)
    {
        var now = DateTimeOffset.UtcNow;
        try
        {
            return FrameParser.Parse(Json.Parse(bytes), now);
        }
        catch (JsonException)
        {
            // Not JSON: kept as a string element, so the caller can show what arrived.
            return new ServerFrame(JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(bytes)), now);
        }
    }
}
