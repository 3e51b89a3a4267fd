using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using ModelContextProtocol;

namespace Meridian.Server.Mcp;

/// <summary>What reaches the SDK's <c>/mcp</c> handler: one JSON-RPC object as <c>application/json</c>. Anything else
/// is answered here in the API's own way (docs/agents.md#6-mcp): a problem (<c>error_code</c>, <c>request_id</c>)
/// that is also a JSON-RPC error response with a null id, where the SDK would answer a bare JSON-RPC error.</summary>
internal static class McpRequestGuard
{
    private const string StreamableAccept = "application/json, text/event-stream";

    /// <summary><paramref name="handler"/>, reached only by a request that reads as one JSON-RPC message; its body
    /// is rewound for it.</summary>
    public static RequestDelegate Wrap(RequestDelegate handler) => async context =>
    {
        if (await RefusalAsync(context) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        context.Request.Body.Position = 0;
        await handler(context);
    };

    private static async Task<IResult?> RefusalAsync(HttpContext context)
    {
        if (!AcceptsStreamableAnswers(context.Request))
        {
            return Problems.Result(ErrorCodes.NotAcceptable, "Accept both application/json and text/event-stream (MCP's streamable HTTP answers with either).");
        }

        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Result(ErrorCodes.UnsupportedMediaType, "POST one JSON-RPC message as application/json.");
        }

        context.Request.EnableBuffering();
        JsonElement body;
        try
        {
            // Through the serializer, so a string no string can hold (or bytes that are not UTF-8) is refused like
            // malformed JSON, before any of it reaches a tool.
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, Json.Options, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Invalid(McpErrorCode.ParseError, ErrorCodes.BadRequest, $"The body is not JSON: {ex.Message}");
        }

        if (Unreadable(body) is { } why)
        {
            return Invalid(McpErrorCode.InvalidRequest, ErrorCodes.ValidationFailed, why);
        }

        return BadToolCall(body) is { } reason
            ? TypedResults.Json(new { jsonrpc = "2.0", id = body.GetProperty("id"), error = new { code = (int)McpErrorCode.InvalidParams, message = reason } })
            : null;
    }

    /// <summary>Why a <c>tools/call</c> request's params are not a tool name and an object of arguments, or null. JSON-RPC
    /// calls that Invalid Params (-32602); the SDK would fail to read them and answer Internal Error (-32603).</summary>
    private static string? BadToolCall(JsonElement body)
    {
        if (body.GetProperty("method").GetString() != "tools/call" || !body.TryGetProperty("id", out _))
        {
            return null;
        }

        if (!body.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            return "tools/call needs params.name.";
        }

        return parameters.TryGetProperty("arguments", out var arguments) && arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)
            ? "params.arguments must be an object."
            : null;
    }

    /// <summary>The SDK wants both media types named, as MCP's clients send them; a request without an Accept header
    /// (or with <c>*/*</c>) accepts anything (RFC 9110 §12.5.1), so it is given the two names and served.</summary>
    private static bool AcceptsStreamableAnswers(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0 || accept.Any(a => a.MediaType == "*/*"))
        {
            request.Headers.Accept = StreamableAccept;
            return true;
        }

        return accept.Any(a => a.MatchesMediaType("application/json")) && accept.Any(a => a.MatchesMediaType("text/event-stream"));
    }

    /// <summary>Why <paramref name="body"/> is no JSON-RPC 2.0 request or notification, or null.</summary>
    private static string? Unreadable(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0"
            || !body.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
        {
            return "The body must be one JSON-RPC 2.0 object with \"jsonrpc\":\"2.0\" and a \"method\" (batches are not supported).";
        }

        // An id of another kind must not make a request a notification: the caller would wait for an answer forever.
        if (!body.TryGetProperty("id", out var id) || id.ValueKind == JsonValueKind.String)
        {
            return null;
        }

        // The SDK reads a numeric id as a 64-bit integer; a fraction or a larger number would not come back as sent.
        return id.ValueKind != JsonValueKind.Number
            ? $"\"id\" must be a string or a number, not {id.ValueKind.ToString().ToLowerInvariant()}."
            : id.TryGetInt64(out _) ? null : "\"id\" must be a string or a whole number within 64 bits.";
    }

    /// <summary>HTTP 400 (MCP's streamable HTTP transport) with a body that is both a problem and a JSON-RPC error
    /// response with a null id, since no id could be read.</summary>
    private static IResult Invalid(McpErrorCode rpcCode, ErrorCode errorCode, string detail) =>
        Problems.Result(errorCode, detail, new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = null,
            ["error"] = new { code = (int)rpcCode, message = detail },
        }, StatusCodes.Status400BadRequest);
}
