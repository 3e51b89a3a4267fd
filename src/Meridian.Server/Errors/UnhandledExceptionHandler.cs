using Microsoft.AspNetCore.Diagnostics;

namespace Meridian.Server.Errors;

/// <summary>Logs each unexpected exception once, as a bug, and lets the problem details writer answer.</summary>
internal sealed partial class UnhandledExceptionHandler(
    IProblemDetailsService problems,
    IHostEnvironment env,
    ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var status = context.Response.StatusCode;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            detail = bad.StatusCode == 413 ? "The request body is larger than this route accepts." : bad.Message;
        }
        else
        {
            LogUnhandled(exception, context.Request.Method, context.Request.Path);
            detail = env.IsDevelopment() ? exception.ToString() : "An unexpected error occurred; it has been logged.";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private partial void LogUnhandled(Exception ex, string method, string path);
}
