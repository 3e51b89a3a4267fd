using System.Net.WebSockets;
using System.Runtime.ExceptionServices;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Hosting;
using Meridian.Server.Http;
using Meridian.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary><c>/ws</c> and <c>/websocket</c>: the handshake of docs/protocol.md#1-connecting (origin, credentials,
/// permission, accept), then the socket's life: its send loop, its welcome, and its frames read by
/// <see cref="FrameReader"/> until it closes. Bad credentials are refused before the upgrade (401/403 with a problem
/// body).</summary>
internal sealed partial class GatewayEndpoint(
    FrameReader reader,
    FrameHandler handler,
    ChatAccess access,
    ConnectionRegistry registry,
    GatewayMetrics metrics,
    AcceptPacer pacer,
    StartupState state,
    IOptions<ServerOptions> server,
    IOptions<GatewayOptions> options,
    IOptions<CorsSettings> cors,
    ILogger<GatewayEndpoint> logger)
{
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

        if (HandshakeCredentials.Read(context) is not { } token)
        {
            return (null, null);
        }

        var outcome = await access.CheckAsync(token, context.RequestAborted);
        return outcome.User is { } user ? (user, null) : (null, new Refusal(outcome.Error!, outcome.Message!, outcome.BadToken));
    }

    private async Task AcceptAsync(HttpContext context, AuthenticatedUser? user)
    {
        var heartbeat = TimeSpan.FromSeconds(options.Value.HeartbeatIntervalSeconds);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = HandshakeCredentials.SubProtocol(context),
            KeepAliveInterval = heartbeat,
            KeepAliveTimeout = heartbeat,
        });
        HandshakeCredentials.Forget(context);
        pacer.Accepted();
        await RunAsync(new GatewayConnection(socket, options.Value.SendQueueFrames, metrics, logger), user);
    }

    /// <summary>The life of an accepted socket: registered, its send loop started, welcomed (or told to authenticate),
    /// then its frames read until it closes.</summary>
    private async Task RunAsync(GatewayConnection connection, AuthenticatedUser? user)
    {
        // One span for the socket's life, none per frame; runs its messages start link to it (docs/operations.md#7-traces).
        using var span = MeridianTelemetry.Source.StartActivity("ws connection");
        span?.SetTag(MeridianTelemetry.ConnectionId, connection.Id);
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

            await reader.ReadAsync(connection);
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

    [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "Socket {ConnectionId}: unexpected fault; closing it with 1011")]
    private partial void LogConnectionFault(Exception ex, string connectionId);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Socket {ConnectionId} of user {UserId} closed after {Seconds:F1} s")]
    private partial void LogClosed(string connectionId, string? userId, double seconds);
}
