using System.Buffers.Text;
using System.Net.WebSockets;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Hosting;
using Meridian.Server.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary><c>/ws</c> and <c>/websocket</c>: the handshake of docs/protocol.md#1-connecting, then the socket's receive loop.
/// Bad credentials are refused before the upgrade (401/403 with a problem body); bad frames get an error frame
/// and the socket stays open.</summary>
internal sealed partial class GatewayEndpoint(
    FrameHandler handler,
    TokenValidator validator,
    ConnectionRegistry registry,
    GatewayMetrics metrics,
    AcceptPacer pacer,
    StartupState state,
    IOptions<ServerOptions> server,
    IOptions<GatewayOptions> options,
    IOptions<AuthOptions> auth,
    IOptions<CorsSettings> cors,
    ILogger<GatewayEndpoint> logger)
{
    public const string JwtAuthProtocol = "jwt-auth";
    private static readonly TimeSpan FaultLinger = TimeSpan.FromSeconds(1);
    private const string JwtPrefix = "jwt.";

    /// <summary>The routed endpoint, behind the whole HTTP pipeline: a plain request gets 426, and a handshake the
    /// fast path (<see cref="GatewayFastPath"/>) refused gets its refusal here, with the pipeline's request id,
    /// request log line and error handling.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, ErrorCodes.UpgradeRequired, "Connect with a WebSocket upgrade (GET with Upgrade: websocket).");
            return;
        }

        var (user, refusal) = context.Features.Get<DeferredHandshake>() is { } deferred ? deferred.Outcome() : await CheckAsync(context);
        if (refusal is not null)
        {
            await refusal.WriteAsync(context);
            return;
        }

        await AcceptAsync(context, user);
    }

    /// <summary>The fast path at the start of the pipeline: a handshake that passes its checks is accepted here, so no
    /// other middleware keeps state under the open socket. Anything else (a refusal, or a fault while checking) is
    /// handed down the pipeline to <see cref="HandleAsync"/>, which answers it exactly as a routed request.</summary>
    public async Task AcceptOrDeferAsync(HttpContext context, RequestDelegate next)
    {
        DeferredHandshake deferred;
        try
        {
            var (user, refusal) = await CheckAsync(context);
            deferred = new DeferredHandshake(user, refusal, null);
        }
        catch (Exception ex)
        {
            deferred = new DeferredHandshake(null, null, ExceptionDispatchInfo.Capture(ex));
        }

        if (deferred is { Refusal: null, Fault: null })
        {
            await AcceptAsync(context, deferred.User);
            return;
        }

        context.Features.Set(deferred);
        await next(context);
    }

    /// <summary>Origin, credentials and permission: everything decided before the upgrade. A null user with no
    /// refusal is a socket without credentials (it may send an <c>auth</c> frame).</summary>
    private async Task<(AuthenticatedUser? User, Refusal? Refusal)> CheckAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        var allowed = cors.Value.AllowedOrigins;
        if (origin.Length > 0 && allowed.Length > 0 && !allowed.Contains("*") && !allowed.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            return (null, new Refusal(ErrorCodes.OriginNotAllowed, $"Origin '{origin}' may not open this WebSocket.", BearerChallenge: false));
        }

        if (Credentials(context) is not { } token)
        {
            return (null, null);
        }

        var result = await validator.ValidateAsync(token, context.RequestAborted);
        if (!result.IsValid)
        {
            // The Bearer challenge belongs to a 401 (RFC 6750); a disabled account's 403 has nothing to retry with.
            return (null, new Refusal(result.Error!, result.Reason ?? "The token is not valid.",
                BearerChallenge: result.Status == StatusCodes.Status401Unauthorized));
        }

        if (auth.Value.EnforcePermissions && !result.User!.HasPermission("chat"))
        {
            return (null, new Refusal(ErrorCodes.PermissionDenied, "This account lacks the 'chat' permission.", BearerChallenge: false));
        }

        return (result.User, null);
    }

    private async Task AcceptAsync(HttpContext context, AuthenticatedUser? user)
    {
        var heartbeat = TimeSpan.FromSeconds(options.Value.HeartbeatIntervalSeconds);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            // Select jwt-auth only when offered; never echo a jwt.<token> entry; otherwise no header at all.
            SubProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(JwtAuthProtocol) ? JwtAuthProtocol : null,
            KeepAliveInterval = heartbeat,
            KeepAliveTimeout = heartbeat,
        });
        ForgetRequest(context);
        pacer.Accepted();
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
                connection.SendError(ErrorCodes.AuthRequired, Welcome.AuthRequiredMessage);
            }

            if (state.IsDraining)
            {
                // Accepted while the node turned to draining, after the shutdown notice went to the open sockets.
                connection.ShutDown(GatewayShutdown.Frame(server.Value.DrainSeconds));
            }

            await ReceiveLoopAsync(connection);
        }
        catch (Exception ex)
        {
            // A fault outside any one frame's handling: a bug, logged; the client is told before the 1011, and can
            // reconnect and resume.
            LogConnectionFault(ex, connection.Id);
            connection.SendError(ErrorCodes.InternalError, "The server failed on this connection; it has been logged. Reconnect and resume.");
            connection.Close(WebSocketCloseStatus.InternalServerError, "internal error");
        }
        finally
        {
            connection.Close(WebSocketCloseStatus.NormalClosure, "");
            if (await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(5))) != sending)
            {
                connection.Abort();
            }

            registry.Remove(connection);
            // A socket accepted by the fast path has no request log line: this is its one line.
            LogClosed(connection.Id, connection.User?.UserId, (Environment.TickCount64 - connection.OpenedAt) / 1000.0);
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

            await HandleMessageAsync(connection, message);
        }
    }

    private async Task HandleMessageAsync(GatewayConnection connection, GatewayConnection.Incoming message)
    {
        if (message.TooLarge)
        {
            metrics.Received("too_large");
            connection.SendError(ErrorCodes.MessageTooLarge, $"Frames are limited to {options.Value.MaxMessageSize} bytes; this one had {message.Length}.");
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
            if (JsonFields.HasUnreadableText(message.Payload.Span))
            {
                document.Dispose();
                metrics.Received("format_error");
                connection.SendError(ErrorCodes.FormatError, "Strings must be valid Unicode: a \\u escape may not name half of a surrogate pair alone.", Frames.IdOf(message.Payload.Span));
                return;
            }
        }
        catch (JsonException)
        {
            metrics.Received("format_error");
            connection.SendError(ErrorCodes.FormatError, "Frames must be JSON objects (text).");
            return;
        }

        using (document)
        {
            var frame = document.RootElement;
            if (frame.ValueKind != JsonValueKind.Object)
            {
                metrics.Received("format_error");
                connection.SendError(ErrorCodes.FormatError, "Frames must be JSON objects.");
                return;
            }

            JsonElement? id = frame.TryGetProperty("id", out var i) && i.ValueKind is JsonValueKind.String or JsonValueKind.Number ? i.Clone() : null;
            if (!frame.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() is not { Length: > 0 } type)
            {
                metrics.Received("invalid");
                connection.SendError(ErrorCodes.InvalidMessage, "A frame needs a string \"type\".", id);
                return;
            }

            metrics.Received(FrameHandler.Types.Contains(type) ? type : "unknown");
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
                connection.SendError(ErrorCodes.InternalError, "The server failed to handle this frame; it has been logged.", id);
            }
        }
    }

    /// <summary>Once upgraded, the HTTP request is over but stays alive as long as the socket: drop its headers and
    /// query, which hold the token (a credential that should not sit in memory for hours) and the rest of the
    /// handshake. The socket keeps only what it needs (its <see cref="AuthenticatedUser"/>).</summary>
    private static void ForgetRequest(HttpContext context)
    {
        // Removed one by one: Kestrel's Clear() keeps the values of known headers (Authorization, Host...) for reuse
        // by a next request on the connection, and an upgraded connection has none.
        var headers = context.Request.Headers;
        foreach (var name in headers.Keys.ToArray())
        {
            headers.Remove(name);
        }

        var request = context.Features.GetRequiredFeature<IHttpRequestFeature>();
        request.QueryString = "";
        request.RawTarget = request.Path;
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

    /// <summary>A handshake refused before the upgrade: a problem body, with the Bearer challenge for a bad token.</summary>
    private sealed record Refusal(ErrorCode Error, string Detail, bool BearerChallenge)
    {
        public Task WriteAsync(HttpContext context)
        {
            if (BearerChallenge)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            }

            return Problems.Write(context, Error, Detail);
        }
    }

    /// <summary>What the fast path decided, handed to the routed endpoint (a request feature) so that the checks
    /// run once; a fault is rethrown there, where the exception handler answers it.</summary>
    private sealed record DeferredHandshake(AuthenticatedUser? User, Refusal? Refusal, ExceptionDispatchInfo? Fault)
    {
        public (AuthenticatedUser? User, Refusal? Refusal) Outcome()
        {
            Fault?.Throw();
            return (User, Refusal);
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "Socket {ConnectionId}: unexpected fault handling a '{FrameType}' frame")]
    private partial void LogFault(Exception ex, string connectionId, string frameType);

    [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "Socket {ConnectionId}: unexpected fault; closing it with 1011")]
    private partial void LogConnectionFault(Exception ex, string connectionId);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Socket {ConnectionId} of user {UserId} closed after {Seconds:F1} s")]
    private partial void LogClosed(string connectionId, string? userId, double seconds);
}
