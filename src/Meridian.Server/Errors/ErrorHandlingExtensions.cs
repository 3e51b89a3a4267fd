using Microsoft.AspNetCore.WebUtilities;

namespace Meridian.Server.Errors;

public static class ErrorHandlingExtensions
{
    public static IServiceCollection AddErrors(this IServiceCollection services)
    {
        // Ahead of the framework's writer, which it replaces: the first writer that accepts a problem writes it.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("error_code", ErrorCodes.ForStatus(status).Code);
            problem.Extensions["request_id"] = context.HttpContext.TraceIdentifier;
            problem.Detail ??= DefaultDetail(status, context.HttpContext);
        });
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        return services;
    }

    /// <summary>Exceptions become problem bodies (500 without internals outside Development);
    /// empty error responses (unknown route, wrong method, unsupported media type) get a problem body too.</summary>
    public static WebApplication UseErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages();
        return app;
    }

    private static string DefaultDetail(int status, HttpContext context) => status switch
    {
        404 => $"No resource at '{context.Request.Path}'.",
        405 => $"Method {context.Request.Method} is not allowed on '{context.Request.Path}'.",
        413 => "The request body is larger than this route accepts.",
        415 => "Unsupported content type; send application/json.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };
}
