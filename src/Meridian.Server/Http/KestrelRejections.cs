using System.IO.Pipelines;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Meridian.Server.Http;

/// <summary>Kestrel answers a request it cannot parse itself, before any middleware runs: a request line with a
/// character HTTP does not allow or an encoded NUL (<c>/api/threads/%00</c>), a malformed line, more than 100
/// headers, a request line over 8 KiB, an HTTP version it does not serve, headers that come too slowly. That answer
/// has an empty body and none of the server's headers, and ASP.NET Core offers no hook for it. This connection
/// middleware watches what Kestrel writes on each connection and, where it is exactly such an answer, writes a
/// problem with <c>error_code</c>, a request id and the security headers in its place (docs/http-api.md#1-conventions).
/// Every other byte passes through untouched.</summary>
internal static class KestrelRejections
{
    public static void Use(ListenOptions listen) => listen.Use(next => async context =>
    {
        var transport = context.Transport;
        context.Transport = new Transport(transport.Input, new RejectionRewriter(transport.Output));
        try
        {
            await next(context);
        }
        finally
        {
            context.Transport = transport;
        }
    });

    private sealed record Transport(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
