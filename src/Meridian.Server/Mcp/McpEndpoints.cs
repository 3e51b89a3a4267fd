using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Health;
using Meridian.Server.Http;
using Meridian.Server.Tools;

namespace Meridian.Server.Mcp;

/// <summary><c>/mcp</c> (streamable HTTP: one JSON-RPC message per POST, answered with JSON), and the
/// <c>/api/mcp</c> routes that list and describe it. HTTP-level faults (no token, a body that is not one JSON-RPC
/// object) are problem details; faults inside a valid message are JSON-RPC errors.</summary>
public static class McpEndpoints
{
    /// <summary>MCP's field names are camelCase, unlike the rest of the API.</summary>
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddMcp(this IServiceCollection services) => services.AddSingleton<McpServer>();

    public static WebApplication MapMcp(this WebApplication app)
    {
        app.MapPost("/mcp", HandleAsync).RequireAuthorization().WithTags("MCP");
        app.MapMethods("/mcp", ["GET", "DELETE"], () => Problems.Result(405, ErrorCodes.MethodNotAllowed,
            "This MCP server is stateless: it opens no server-to-client stream and keeps no session. POST JSON-RPC messages.")).WithTags("MCP");

        var api = app.MapGroup("/api/mcp").WithTags("MCP").RequireAuthorization();
        api.MapGet("/servers", async (HttpContext http, IEnumerable<IReadinessCheck> checks, CancellationToken ct) =>
        {
            var database = checks.FirstOrDefault(c => c.Name == "database");
            var problem = database is null ? null : await database.CheckAsync(ct);
            return TypedResults.Ok(new
            {
                servers = new[]
                {
                    new
                    {
                        name = McpServer.Name,
                        url = Endpoint(http),
                        transport = "streamable-http",
                        status = problem is null ? "online" : "degraded",
                        detail = problem,
                        tools = ToolCatalog.All.Count,
                        protocol_version = McpServer.ProtocolVersions[0],
                        checked_at = DateTimeOffset.UtcNow,
                    },
                },
            });
        });
        api.MapGet("/config", (HttpContext http) => TypedResults.Ok(new
        {
            name = McpServer.Name,
            url = Endpoint(http),
            transport = "streamable-http",
            auth = new { type = "bearer", header = "Authorization", token_from = "POST /auth/login (access_token)" },
            protocol_versions = McpServer.ProtocolVersions,
            tools = ToolCatalog.All.Select(t => new { name = t.Name, description = t.Description }),
            client_config = new Dictionary<string, object>
            {
                ["mcpServers"] = new Dictionary<string, object>
                {
                    [McpServer.Name] = new { type = "http", url = Endpoint(http), headers = new Dictionary<string, string> { ["Authorization"] = "Bearer <access token>" } },
                },
            },
        }));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, McpServer server, CancellationToken ct)
    {
        if (http.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Result(415, ErrorCodes.UnsupportedMediaType, "POST one JSON-RPC message as application/json.");
        }

        JsonElement body;
        try
        {
            // Through the serializer, so a string no string can hold is refused like malformed JSON.
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, Json.Options, ct);
        }
        catch (JsonException ex)
        {
            return Problems.Result(400, ErrorCodes.BadRequest, $"The body is not JSON: {ex.Message}");
        }

        if (JsonRpcMessage.Parse(body) is not { } message)
        {
            return Problems.Result(400, ErrorCodes.ValidationFailed, "The body must be one JSON-RPC 2.0 object with \"jsonrpc\":\"2.0\" and a \"method\" (batches are not supported).");
        }

        if (message.IsNotification)
        {
            return Results.Accepted();
        }

        return Results.Json(await server.HandleAsync(http.UserId(), message, ct), Wire);
    }

    private static string Endpoint(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}/mcp";
}
