using System.Diagnostics;

namespace Meridian.Server.Http;

/// <summary>Gives each request an id (kept from a sane <c>X-Request-Id</c>, else generated), echoes it, and logs
/// one line per request. Only the path is logged: query strings may carry tokens.</summary>
internal sealed partial class RequestLogging(ILogger<RequestLogging> logger) : IMiddleware
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var incoming = context.Request.Headers[Header].ToString();
        context.TraceIdentifier = IsSane(incoming) ? incoming : NewId();
        // Set as the answer starts, not now: the exception handler clears the headers of a failed request before it
        // writes its problem, and the id must survive that.
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers[Header] = http.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        var started = Stopwatch.GetTimestamp();
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = context.TraceIdentifier }))
        {
            int? faultStatus = null;
            try
            {
                await next(context);
            }
            catch (Exception ex)
            {
                // The exception handler answers it after this line is logged: log the status it will answer.
                faultStatus = ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
                throw;
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics"))
                {
                    var status = faultStatus is { } fault && !context.Response.HasStarted ? fault : context.Response.StatusCode;
                    LogRequest(context.Request.Method, context.Request.Path, status, elapsed);
                }
            }
        }
    }

    /// <summary>A fresh request id: time-ordered, so ids sort the way requests came in.</summary>
    public static string NewId() => "req_" + Guid.CreateVersion7().ToString("N");

    private static bool IsSane(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "HTTP {Method} {Path} -> {Status} in {ElapsedMs:F1} ms")]
    private partial void LogRequest(string method, string path, int status, double elapsedMs);
}
