namespace Meridian.Server.Http;

/// <summary>Conservative browser security headers on every answer.</summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    // The web app loads only its own files (no inline script or style: it sets styles through the DOM, which
    // CSP allows) and talks to its own origin over REST and WebSocket (docs/ui.md#6-safety).
    private const string UiPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    // The interactive API page ships inline bootstrap code.
    private const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        // As the answer starts: the exception handler clears the headers of a failed request before writing its
        // problem, and the headers belong on errors too.
        context.Response.OnStarting(static state =>
        {
            Apply((HttpContext)state);
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        foreach (var (name, value) in For(context.Request.Path.StartsWithSegments("/docs")))
        {
            headers[name] = value;
        }

        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }
    }

    /// <summary>The headers of an answer: the docs page's policy, or the app's. Also used where no HttpContext
    /// exists (<see cref="KestrelRejections"/>).</summary>
    public static KeyValuePair<string, string>[] For(bool docs) => docs ? DocsHeaders : UiHeaders;

    private static readonly KeyValuePair<string, string>[] UiHeaders = Headers(UiPolicy);
    private static readonly KeyValuePair<string, string>[] DocsHeaders = Headers(DocsPolicy);

    private static KeyValuePair<string, string>[] Headers(string policy) =>
    [
        new("X-Content-Type-Options", "nosniff"),
        new("X-Frame-Options", "DENY"),
        new("Referrer-Policy", "no-referrer"),
        new("Cross-Origin-Opener-Policy", "same-origin"),
        new("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        new("Content-Security-Policy", policy),
    ];
}
