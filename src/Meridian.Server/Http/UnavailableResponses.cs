using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Meridian.Server.Http;

/// <summary>The startup gate (<see cref="Hosting.HostingExtensions.UseStartupGate"/>) answers every route that does
/// work with 503 <c>SERVICE_STARTING</c> or <c>SERVICE_DRAINING</c> before any endpoint runs, so no endpoint declares
/// it: this adds it to those operations of the OpenAPI document (docs/http-api.md#1-conventions).</summary>
public static class UnavailableResponses
{
    public static Task DeclareAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        var operations =
            from path in document.Paths
            where RouteKinds.NeedsReadyNode(path.Key)
            where path.Value.Operations is not null
            from operation in path.Value.Operations!.Values
            select operation;
        foreach (var operation in operations)
        {
            operation.Responses ??= [];
            operation.Responses.TryAdd("503", new OpenApiResponse
            {
                Description = "Service Unavailable: the node is starting or draining; retry after Retry-After.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
                },
            });
        }

        return Task.CompletedTask;
    }
}
