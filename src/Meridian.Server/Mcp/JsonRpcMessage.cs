using System.Text.Json;

namespace Meridian.Server.Mcp;

/// <summary>One JSON-RPC message read from a request body. A request has an id (a number or a string: MCP allows no
/// null id); a notification has none and gets no answer.</summary>
public sealed record JsonRpcMessage(JsonElement? Id, string Method, JsonElement Params)
{
    public bool IsNotification => Id is null;

    /// <summary>The message, or null with what makes <paramref name="body"/> no JSON-RPC 2.0 request or notification
    /// (answered as Invalid Request, id null).</summary>
    public static JsonRpcMessage? Parse(JsonElement body, out string? invalid)
    {
        invalid = null;
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0"
            || !body.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
        {
            invalid = "The body must be one JSON-RPC 2.0 object with \"jsonrpc\":\"2.0\" and a \"method\" (batches are not supported).";
            return null;
        }

        JsonElement? id = null;
        if (body.TryGetProperty("id", out var value))
        {
            // An id of another kind must not make a request a notification: the caller would wait for an answer forever.
            if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
            {
                invalid = $"\"id\" must be a string or a number, not {value.ValueKind.ToString().ToLowerInvariant()}.";
                return null;
            }

            id = value.Clone();
        }

        var parameters = body.TryGetProperty("params", out var p) ? p.Clone() : default;
        return new JsonRpcMessage(id, method.GetString()!, parameters);
    }

    public JsonRpcResponse Result(object result) => new("2.0", Id) { Result = result };

    public JsonRpcResponse Error(int code, string message) => new("2.0", Id) { Error = new JsonRpcError(code, message) };
}
