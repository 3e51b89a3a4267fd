namespace Meridian.Server.Errors;

/// <summary>Declares the problem answers a route can give, by their codes of the catalogue (<see cref="ErrorCodes"/>),
/// so the OpenAPI document lists each status as <c>application/problem+json</c> (docs/http-api.md#4-the-openapi-document).</summary>
public static class ProblemResponses
{
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params ErrorCode[] codes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in codes.Select(c => c.Status).Distinct())
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
