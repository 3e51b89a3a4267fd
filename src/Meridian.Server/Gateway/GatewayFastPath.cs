using Meridian.Server.Hosting;

namespace Meridian.Server.Gateway;

/// <summary>Takes WebSocket handshakes to <c>/ws</c> and <c>/websocket</c> at the very start of the pipeline. An open
/// socket keeps its HTTP request alive for its whole life, and with it every middleware still awaiting the rest of
/// the pipeline (exception handler, status pages, request logging, authentication, authorization, the docs UI...),
/// each an async state machine per socket, plus a DI scope, a log scope and the principal. Accepted here, a socket
/// carries none of them. Everything else (other routes, plain requests, a node that is not accepting work, a
/// refused handshake) goes down the ordinary pipeline, which answers it exactly as before.</summary>
internal sealed class GatewayFastPath(RequestDelegate next, GatewayEndpoint endpoint, StartupState state)
{
    public static readonly string[] Paths = ["/ws", "/websocket"];

    public Task InvokeAsync(HttpContext context) =>
        state.IsAcceptingWork && context.WebSockets.IsWebSocketRequest && IsGatewayPath(context.Request.Path)
            ? endpoint.AcceptOrDeferAsync(context, next)
            : next(context);

    private static bool IsGatewayPath(PathString path)
    {
        foreach (var candidate in Paths)
        {
            if (path.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
