using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Server.Errors;

/// <summary>Builds <c>application/problem+json</c> answers with an <c>error_code</c> (docs/http-api.md, "Conventions").</summary>
public static class Problems
{
    public static ProblemHttpResult Result(int status, string errorCode, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail };
        problem.Extensions["error_code"] = errorCode;
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult NotFound(string detail) => Result(404, ErrorCodes.NotFound, detail);

    public static ProblemHttpResult Conflict(string detail) => Result(409, ErrorCodes.Conflict, detail);

    /// <summary>422 with the offending fields: <c>{"errors": {"field": ["reason"]}}</c>.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        Result(422, ErrorCodes.ValidationFailed, detail ?? "One or more fields are invalid.",
            new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Validation(string field, string reason) =>
        Validation(new Dictionary<string, string[]> { [field] = [reason] }, reason);

    /// <summary>Writes a problem body directly, for middleware that answers before routing.</summary>
    public static Task Write(HttpContext context, int status, string errorCode, string detail) =>
        Result(status, errorCode, detail).ExecuteAsync(context);
}
