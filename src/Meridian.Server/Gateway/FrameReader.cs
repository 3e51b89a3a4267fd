using System.Net.WebSockets;
using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>Reads one socket's client frames until it closes and hands each, typed, to the
/// <see cref="FrameHandler"/>: whole messages within the size caps, the flood limit, then UTF-8 and JSON checks and
/// one <see cref="ClientFrame"/> per frame. Bad input gets an error frame and the socket stays open, except above the
/// hard cap (docs/protocol.md#4-bad-input).</summary>
internal sealed class FrameReader(FrameHandler handler, GatewayMetrics metrics, IOptions<GatewayOptions> options)
{
    private static readonly TimeSpan FaultLinger = TimeSpan.FromSeconds(1);

    public async Task ReadAsync(GatewayConnection connection)
    {
        var o = options.Value;
        var flood = new TokenBucket(o.FrameBurst, o.FramesPerSecond);
        while (!connection.Closed.IsCancellationRequested)
        {
            ReceivedMessage? message;
            try
            {
                message = await ReceivedMessage.ReadAsync(connection.Socket, o.MaxMessageSize, o.HardMessageCap, connection.Closed);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                if (ex is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted })
                {
                    // The WebSocket failed the connection itself (1007 for a text frame that is not UTF-8) and has
                    // queued its close frame. Ending the request at once tears the connection down, and the reset can
                    // overtake that frame before the client reads it; a short linger lets it arrive.
                    await Task.Delay(FaultLinger);
                }

                return;
            }

            if (message is null)
            {
                return; // the client closed; the close is answered on the way out
            }

            using var received = message;
            if (message.OverHardCap)
            {
                connection.SendError(ErrorCodes.MessageTooLarge, $"Frames above {o.HardMessageCap} bytes close the socket.");
                connection.Close(WebSocketCloseStatus.MessageTooBig, "frame above the hard cap");
                return;
            }

            if (!flood.TryTake(out var retryAfterMs))
            {
                var id = message.Type == WebSocketMessageType.Text ? Frames.IdOf(message.Payload.Span) : null;
                connection.SendError(ErrorCodes.RateLimited, $"Too many frames; retry in {retryAfterMs} ms.", id, retryAfterMs);
                continue;
            }

            if (Parse(connection, message) is { } frame)
            {
                await handler.HandleAsync(connection, frame);
            }
        }
    }

    /// <summary>The typed frame, or null when the message is refused (answered here with its error frame).</summary>
    private ClientFrame? Parse(GatewayConnection connection, ReceivedMessage message)
    {
        if (message.TooLarge)
        {
            metrics.Received("too_large");
            connection.SendError(ErrorCodes.MessageTooLarge, $"Frames are limited to {options.Value.MaxMessageSize} bytes; this one had {message.Length}.");
            return null;
        }

        JsonDocument document;
        try
        {
            if (message.Type != WebSocketMessageType.Text)
            {
                throw new JsonException("binary frame");
            }

            document = JsonDocument.Parse(message.Payload);
            if (JsonFields.HasUnreadableText(message.Payload.Span))
            {
                document.Dispose();
                metrics.Received("format_error");
                connection.SendError(ErrorCodes.FormatError, "Strings must be valid Unicode: a \\u escape may not name half of a surrogate pair alone.", Frames.IdOf(message.Payload.Span));
                return null;
            }
        }
        catch (JsonException)
        {
            metrics.Received("format_error");
            connection.SendError(ErrorCodes.FormatError, "Frames must be JSON objects (text).");
            return null;
        }

        // The typed frame holds copies of the fields it needs: the document (pooled memory) goes back before handling.
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                metrics.Received("format_error");
                connection.SendError(ErrorCodes.FormatError, "Frames must be JSON objects.");
                return null;
            }

            JsonElement? id = root.TryGetProperty("id", out var i) && i.ValueKind is JsonValueKind.String or JsonValueKind.Number ? i.Clone() : null;
            if (!root.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() is not { Length: > 0 } type)
            {
                metrics.Received("invalid");
                connection.SendError(ErrorCodes.InvalidMessage, "A frame needs a string \"type\".", id);
                return null;
            }

            var frame = ClientFrame.Parse(root, type, id);
            metrics.Received(frame.MetricsLabel);
            return frame;
        }
    }
}
