using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary><c>/ws</c> and <c>/websocket</c>: the handshake of PROTOCOL §1.1–1.2, then the socket's receive loop.
/// Bad credentials are refused before the upgrade (401/403 with a problem body); bad frames get an error frame
/// and the socket stays open.</summary>
internal sealed partial class GatewayEndpoint(
    FrameHandler handler,
    TokenValidator validator,
    ConnectionRegistry registry,
    GatewayMetrics metrics,
    IOptions<GatewayOptions> options,
    IOptions<AuthOptions> auth,
    IOptions<CorsSettings> cors,
    ILogger<GatewayEndpoint> logger)
{
    public const string JwtAuthProtocol = "jwt-auth";
    private const string JwtPrefix = "jwt.";

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, StatusCodes.Status426UpgradeRequired, "UPGRADE_REQUIRED", "Connect with a WebSocket upgrade (GET with Upgrade: websocket).");
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        var allowed = cors.Value.AllowedOrigins;
        if (origin.Length > 0 && allowed.Length > 0 && !allowed.Contains("*") && !allowed.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            await Problems.Write(context, StatusCodes.Status403Forbidden, "ORIGIN_NOT_ALLOWED", $"Origin '{origin}' may not open this WebSocket.");
            return;
        }

        AuthenticatedUser? user = null;
        if (Credentials(context) is { } token)
        {
            var result = await validator.ValidateAsync(token, context.RequestAborted);
            if (!result.IsValid)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                await Problems.Write(context, result.Status, result.ErrorCode!, result.Reason ?? "The token is not valid.");
                return;
            }

            if (auth.Value.EnforcePermissions && !result.User!.HasPermission("chat"))
            {
                await Problems.Write(context, StatusCodes.Status403Forbidden, "PERMISSION_DENIED", "This account lacks the 'chat' permission.");
                return;
            }

            user = result.User;
        }

        var heartbeat = TimeSpan.FromSeconds(options.Value.HeartbeatIntervalSeconds);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            // Select jwt-auth only when offered; never echo a jwt.<token> entry; otherwise no header at all.
            SubProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(JwtAuthProtocol) ? JwtAuthProtocol : null,
            KeepAliveInterval = heartbeat,
            KeepAliveTimeout = heartbeat,
        });
        await RunAsync(new GatewayConnection(socket, options.Value.SendQueueFrames, metrics, logger), user);
    }

    private async Task RunAsync(GatewayConnection connection, AuthenticatedUser? user)
    {
        registry.Add(connection);
        var sending = connection.SendLoopAsync();
        try
        {
            if (user is not null)
            {
                handler.Attach(connection, user);
            }
            else
            {
                connection.Send(Frames.Error("AUTH_REQUIRED", Welcome.AuthRequiredMessage), "error");
            }

            await ReceiveLoopAsync(connection);
        }
        finally
        {
            connection.Close(WebSocketCloseStatus.NormalClosure, "");
            if (await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(5))) != sending)
            {
                connection.Abort();
            }

            registry.Remove(connection);
        }
    }

    private async Task ReceiveLoopAsync(GatewayConnection connection)
    {
        var o = options.Value;
        var flood = new TokenBucket(o.FrameBurst, o.FramesPerSecond);
        while (!connection.Closed.IsCancellationRequested)
        {
            GatewayConnection.Incoming? message;
            try
            {
                message = await connection.ReceiveAsync(o.MaxMessageSize, o.HardMessageCap);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                return;
            }

            if (message is null)
            {
                return; // the client closed; the close is answered on the way out
            }

            using var received = message;
            if (message.OverHardCap)
            {
                connection.Send(Frames.Error("MESSAGE_TOO_LARGE", $"Frames above {o.HardMessageCap} bytes close the socket."), "error");
                connection.Close(WebSocketCloseStatus.MessageTooBig, "frame above the hard cap");
                return;
            }

            if (!flood.TryTake(out var retryAfterMs))
            {
                connection.Send(Frames.Error("RATE_LIMITED", $"Too many frames; retry in {retryAfterMs} ms.", null,
                    w => w.WriteNumber("retry_after_ms", retryAfterMs)), "error");
                continue;
            }

            await HandleMessageAsync(connection, message);
        }
    }

    private async Task HandleMessageAsync(GatewayConnection connection, GatewayConnection.Incoming message)
    {
        if (message.TooLarge)
        {
            metrics.Received("too_large");
            connection.Send(Frames.Error("MESSAGE_TOO_LARGE", $"Frames are limited to {options.Value.MaxMessageSize} bytes; this one had {message.Length}."), "error");
            return;
        }

        JsonDocument document;
        try
        {
            if (message.Type != WebSocketMessageType.Text)
            {
                throw new JsonException("binary frame");
            }

            document = JsonDocument.Parse(message.Payload);
        }
        catch (JsonException)
        {
            metrics.Received("format_error");
            connection.Send(Frames.Error("FORMAT_ERROR", "Frames must be JSON objects (text)."), "error");
            return;
        }

        using (document)
        {
            var frame = document.RootElement;
            if (frame.ValueKind != JsonValueKind.Object)
            {
                metrics.Received("format_error");
                connection.Send(Frames.Error("FORMAT_ERROR", "Frames must be JSON objects."), "error");
                return;
            }

            JsonElement? id = frame.TryGetProperty("id", out var i) && i.ValueKind is JsonValueKind.String or JsonValueKind.Number ? i.Clone() : null;
            if (!frame.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() is not { Length: > 0 } type)
            {
                metrics.Received("invalid");
                connection.Send(Frames.Error("INVALID_MESSAGE", "A frame needs a string \"type\".", id), "error");
                return;
            }

            metrics.Received(type.Length <= 32 ? type : "other");
            try
            {
                await handler.HandleAsync(connection, frame, type, id);
            }
            catch (OperationCanceledException) when (connection.Closed.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                // A fault the gateway did not anticipate: logged as a bug; the socket stays open.
                LogFault(ex, connection.Id, type);
                connection.Send(Frames.Error("INTERNAL_ERROR", "The server failed to handle this frame; it has been logged.", id), "error");
            }
        }
    }

    /// <summary>The first credential present: Authorization header, a <c>jwt.&lt;base64url&gt;</c> subprotocol
    /// entry, or the <c>token</c> query parameter. Null when there is none (the client may send an auth frame).</summary>
    private static string? Credentials(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        foreach (var offered in context.WebSockets.WebSocketRequestedProtocols)
        {
            if (offered.StartsWith(JwtPrefix, StringComparison.Ordinal))
            {
                return DecodeSubprotocolToken(offered[JwtPrefix.Length..]);
            }
        }

        return context.Request.Query["token"] is { Count: > 0 } query ? query.ToString() : null;
    }

    /// <summary>base64url without padding; something that does not decode is passed on as-is and fails validation.</summary>
    private static string DecodeSubprotocolToken(string encoded)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));
        }
        catch (FormatException)
        {
            return encoded;
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "Socket {ConnectionId}: unexpected fault handling a '{FrameType}' frame")]
    private partial void LogFault(Exception ex, string connectionId, string frameType);
}
