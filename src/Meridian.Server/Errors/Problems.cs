using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Server.Errors;

/// <summary>Builds <c>application/problem+json</c> answers with an <c>error_code</c> (docs/http-api.md#1-conventions).</summary>
public static class Problems
{
    /// <summary>A problem with <paramref name="code"/> and its status from the catalogue; <paramref name="status"/> only
    /// where a protocol fixes another (JSON-RPC's invalid request is 400 on <c>/mcp</c>).</summary>
    public static ProblemHttpResult Result(ErrorCode code, string detail, IDictionary<string, object?>? extensions = null, int? status = null)
    {
        var problem = new ProblemDetails { Status = status ?? code.Status, Detail = detail };
        problem.Extensions["error_code"] = code.Code;
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult NotFound(string detail) => Result(ErrorCodes.NotFound, detail);

    public static ProblemHttpResult Conflict(string detail) => Result(ErrorCodes.Conflict, detail);

    /// <summary>422 with the offending fields: <c>{"errors": {"field": ["reason"]}}</c>.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        Result(ErrorCodes.ValidationFailed, detail ?? "One or more fields are invalid.",
            new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Validation(string field, string reason) =>
        Validation(new Dictionary<string, string[]> { [field] = [reason] }, reason);

    /// <summary>Writes a problem body directly, for middleware that answers before routing.</summary>
    public static Task Write(HttpContext context, ErrorCode code, string detail) =>
        Result(code, detail).ExecuteAsync(context);
}
