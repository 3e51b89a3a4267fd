using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meridian.Server.Mcp;

/// <summary>A JSON-RPC 2.0 response on <c>/mcp</c>: the request's id and either a <c>result</c> or an
/// <c>error</c>, never both (the absent one is left out, as JSON-RPC requires, so neither is a required field).</summary>
public sealed record JsonRpcResponse(string Jsonrpc, JsonElement? Id)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public object? Result { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonRpcError? Error { get; init; }
}
