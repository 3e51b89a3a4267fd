using System.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Errors;

/// <summary>Writes every problem as <c>application/problem+json</c>, whatever the request's <c>Accept</c> says.
/// The framework's writer declines a client that accepts no JSON (<c>Accept: text/event-stream</c> on the SSE route,
/// <c>text/html</c> from a browser), and the error then went out as plain text or as JSON without
/// <c>request_id</c>; an error body is always a problem (docs/http-api.md).</summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problems, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        var options = json.Value.SerializerOptions;
        problem.Extensions.TryAdd(options.PropertyNamingPolicy?.ConvertName("traceId") ?? "traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        problems.Value.CustomizeProblemDetails?.Invoke(context);
        // The framework's defaults for type and title (the ones every other problem carries).
        problem = TypedResults.Problem(problem).ProblemDetails;
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, options, "application/problem+json"));
    }
}
