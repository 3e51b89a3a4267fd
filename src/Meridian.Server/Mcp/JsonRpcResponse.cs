using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meridian.Server.Mcp;

/// <summary>A JSON-RPC 2.0 response on <c>/mcp</c> as the OpenAPI document describes it (<see cref="McpOperation"/>): the
/// request's id and either a <c>result</c> or an <c>error</c>, never both. The SDK writes the real ones.</summary>
public sealed record JsonRpcResponse(string Jsonrpc, JsonElement? Id)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Result { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonRpcErrorObject? Error { get; init; }
}
