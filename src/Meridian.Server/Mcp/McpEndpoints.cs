using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Health;
using Meridian.Server.Hosting;
using Meridian.Server.Http;
using Meridian.Server.Storage;
using Meridian.Server.Tools;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Mcp;

/// <summary><c>/mcp</c> (streamable HTTP: one JSON-RPC message per POST, answered with JSON), and the
/// <c>/api/mcp</c> routes that list and describe it (public discovery). HTTP-level faults (no token, a body that
/// cannot be read as one JSON-RPC request) are problem details, the latter also a JSON-RPC error with a null id;
/// faults inside a valid message are JSON-RPC errors (docs/agents.md).</summary>
public static class McpEndpoints
{
    /// <summary>MCP's field names are camelCase, unlike the rest of the API.</summary>
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    private const string Transport = "streamable-http";

    public static IServiceCollection AddMcp(this IServiceCollection services) => services.AddSingleton<McpServer>();

    public static WebApplication MapMcp(this WebApplication app)
    {
        // 200 is JSON-RPC in MCP's camelCase, written with its own options; 202 answers a notification.
        app.MapPost("/mcp", HandleAsync).RequireAuthorization().WithTags("MCP").Produces<JsonRpcResponse>(StatusCodes.Status200OK)
            .ProducesProblems(ErrorCodes.BadRequest, ErrorCodes.Unauthorized, ErrorCodes.UnsupportedMediaType);

        // Only ever a refusal, so not an operation of the API: left out of the OpenAPI document.
        app.MapMethods("/mcp", ["GET", "DELETE"], () => Problems.Result(ErrorCodes.MethodNotAllowed,
            "This MCP server is stateless: it opens no server-to-client stream and keeps no session. POST JSON-RPC messages."))
            .ExcludeFromDescription();

        // Discovery, like /api/discovery/services: no credentials. They describe the server, never a user's data, and
        // a failing check shows as "degraded" without its error text.
        var api = app.MapGroup("/api/mcp").WithTags("MCP").AllowAnonymous();
        api.MapGet("/servers", async (HttpContext http, IEnumerable<IReadinessCheck> checks, IOptions<ServerOptions> server, IOptions<StorageOptions> storage) =>
        {
            var database = checks.FirstOrDefault(c => c.Name == "database");
            var healthy = database is null || await AnswersAsync(database, TimeSpan.FromSeconds(storage.Value.ReadinessTimeoutSeconds));
            return TypedResults.Ok(new McpServerList(
            [
                new McpServerStatus(
                    McpServer.Name,
                    Endpoint(http, server.Value),
                    Transport,
                    healthy ? "online" : "degraded",
                    healthy ? null : "The database does not answer; tools that read usage records fail until it does.",
                    ToolCatalog.All.Count,
                    McpServer.ProtocolVersions[0],
                    DateTimeOffset.UtcNow),
            ]));
        });
        api.MapGet("/config", (HttpContext http, IOptions<ServerOptions> server) => TypedResults.Ok(new McpConfig(
            McpServer.Name,
            Endpoint(http, server.Value),
            Transport,
            McpAuth.Bearer,
            McpServer.ProtocolVersions,
            ToolCatalog.All.Select(t => new ToolSummary(t.Name, t.Description)),
            new Dictionary<string, object>
            {
                ["mcpServers"] = new Dictionary<string, object>
                {
                    [McpServer.Name] = new { type = "http", url = Endpoint(http, server.Value), headers = new Dictionary<string, string> { ["Authorization"] = "Bearer <access token>" } },
                },
            })));
        return app;
    }

    private static async Task<Results<JsonHttpResult<JsonRpcResponse>, Accepted, ProblemHttpResult>> HandleAsync(HttpContext http, McpServer server, CancellationToken ct)
    {
        if (http.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Result(ErrorCodes.UnsupportedMediaType, "POST one JSON-RPC message as application/json.");
        }

        JsonElement body;
        try
        {
            // Through the serializer, so a string no string can hold (or bytes that are not UTF-8) is refused like
            // malformed JSON, before any of it reaches a tool.
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, Json.Options, ct);
        }
        catch (JsonException ex)
        {
            return InvalidMessage(JsonRpcErrors.ParseError, ErrorCodes.BadRequest, $"The body is not JSON: {ex.Message}");
        }

        if (JsonRpcMessage.Parse(body, out var invalid) is not { } message)
        {
            return InvalidMessage(JsonRpcErrors.InvalidRequest, ErrorCodes.ValidationFailed, invalid!);
        }

        if (message.IsNotification)
        {
            return TypedResults.Accepted((string?)null);
        }

        return TypedResults.Json(await server.HandleAsync(http.UserId(), message, ct), Wire);
    }

    /// <summary>A message refused before it is read as a request: HTTP 400 (MCP's streamable HTTP transport), with a
    /// body that is both a problem (<c>error_code</c>, <c>request_id</c>) and a JSON-RPC error response with a null
    /// id, since no id could be read (docs/agents.md).</summary>
    private static ProblemHttpResult InvalidMessage(int rpcCode, ErrorCode errorCode, string detail) =>
        Problems.Result(errorCode, detail, new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = null,
            ["error"] = new { code = rpcCode, message = detail },
        }, StatusCodes.Status400BadRequest);

    /// <summary>Whether the check passes within <paramref name="timeout"/>; its error text stays in the server.</summary>
    private static async Task<bool> AnswersAsync(IReadinessCheck check, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await check.CheckAsync(cts.Token).WaitAsync(timeout) is null;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Where clients reach <c>/mcp</c>: under <c>Server:PublicUrl</c> when set, as the discovery route says.</summary>
    private static string Endpoint(HttpContext http, ServerOptions server) => HealthEndpoints.PublicBaseUrl(http, server) + "/mcp";
}
