using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace Meridian.Server.Mcp;

/// <summary>What <c>POST /mcp</c> takes and answers, for the OpenAPI document (docs/http-api.md#4-the-openapi-document).
/// The SDK maps the route with a bare request delegate, which the document generator skips, and declares a body of no
/// type; this class's stand-in signature and metadata describe it instead.</summary>
internal static class McpOperation
{
    private static readonly MethodInfo Signature = typeof(McpOperation).GetMethod(nameof(Post), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Adds the description to the SDK's endpoint; added last, it is what the generator reads.</summary>
    public static void Describe(EndpointBuilder endpoint)
    {
        endpoint.Metadata.Add(Signature);
        endpoint.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(JsonElement)));
        // 200 is the JSON-RPC answer, framed as server-sent events; 202 answers a notification.
        endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(JsonRpcResponse), ["text/event-stream", "application/json"]));
        endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status202Accepted, typeof(void)));
    }

    /// <summary>Never called: its signature stands in for the SDK's handler.</summary>
    private static JsonRpcResponse Post() => throw new NotSupportedException("Only a description: the SDK answers POST /mcp.");
}
