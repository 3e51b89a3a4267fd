using System.Text.Json;

namespace Meridian.Server.Mcp;

/// <summary>JSON-RPC 2.0 error codes MCP uses.</summary>
public static class JsonRpcErrors
{
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
}

/// <summary>One JSON-RPC message read from a request body. A request has an id (number or string); a notification
/// has none and gets no answer.</summary>
public sealed record JsonRpcMessage(JsonElement? Id, string Method, JsonElement Params)
{
    public bool IsNotification => Id is null;

    public static JsonRpcMessage? Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0"
            || !body.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        JsonElement? id = body.TryGetProperty("id", out var value) && value.ValueKind is JsonValueKind.Number or JsonValueKind.String ? value.Clone() : null;
        var parameters = body.TryGetProperty("params", out var p) ? p.Clone() : default;
        return new JsonRpcMessage(id, method.GetString()!, parameters);
    }

    public object Result(object result) => new { jsonrpc = "2.0", id = Id, result };

    public object Error(int code, string message) => new { jsonrpc = "2.0", id = Id, error = new { code, message } };
}
