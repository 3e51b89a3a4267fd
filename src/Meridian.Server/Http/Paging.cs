using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Meridian.Server.Http;

/// <summary><c>limit</c> (1–100, default 20) and <c>offset</c> (0 or more) of list routes.</summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static ProblemHttpResult? Check(int? limit, int? offset) =>
        limit is < 1 or > MaxLimit ? Problems.Validation("limit", $"limit must be between 1 and {MaxLimit}.")
        : offset is < 0 ? Problems.Validation("offset", "offset must not be negative.")
        : null;

    public static (int Limit, int Offset) Of(int? limit, int? offset) => (limit ?? DefaultLimit, offset ?? 0);
}
