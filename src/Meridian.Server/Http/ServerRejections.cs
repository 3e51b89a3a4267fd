using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Meridian.Server.Http;

/// <summary>Gives Kestrel's own rejections a problem body. A request Kestrel refuses while reading its request line
/// or headers (a malformed line, <c>%00</c> in the path, headers over the size limit, a header timeout) never reaches
/// the middleware pipeline, and ASP.NET Core offers no hook for that answer: Kestrel writes a bare status with
/// <c>Content-Length: 0</c> and closes the connection. This connection middleware watches the bytes Kestrel writes
/// and replaces exactly that answer with a complete one (docs/http-api.md). Everything else passes unchanged.</summary>
internal static class ServerRejections
{
    /// <summary>Adds the middleware to every endpoint. On an HTTPS endpoint Kestrel itself terminates TLS inside
    /// this middleware, so the bytes are encrypted and nothing is rewritten there (a documented limit).</summary>
    public static void Use(KestrelServerOptions kestrel) =>
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var output = new RejectionRewriter(transport.Output);
            connection.Transport = new Transport(transport.Input, output);
            try
            {
                await next(connection);
            }
            finally
            {
                // Kestrel is done with the connection; the socket is still open until this returns.
                await output.EndAsync();
                connection.Transport = transport;
            }
        }));

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
