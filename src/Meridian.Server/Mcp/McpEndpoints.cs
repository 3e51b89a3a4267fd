using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Health;
using Meridian.Server.Hosting;
using Meridian.Server.Http;
using Meridian.Server.Storage;
using Meridian.Server.Tools;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace Meridian.Server.Mcp;

/// <summary><c>/mcp</c>, served by the official MCP SDK (streamable HTTP, stateless) with the tools of
/// <see cref="ToolCatalog"/>, and the <c>/api/mcp</c> routes that list and describe it (public discovery).
/// HTTP-level faults (no token, a body that cannot be read as one JSON-RPC request) are problem details; faults inside
/// a valid message are the SDK's JSON-RPC errors (docs/agents.md#6-mcp).</summary>
public static class McpEndpoints
{
    public static IServiceCollection AddMcp(this IServiceCollection services)
    {
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = McpServerInfo.Name, Title = McpServerInfo.Title, Version = McpServerInfo.Version };
                options.ServerInstructions = McpServerInfo.Instructions;
            })
            // Stateless: no session id and no server-to-client stream, so any node of a cluster answers any call.
            .WithHttpTransport(transport => transport.Stateless = true)
            .WithTools(ToolCatalog.All.Select(tool => new CatalogTool(tool)));
        return services;
    }

    public static WebApplication MapMcpServer(this WebApplication app)
    {
        // Bearer auth like every API route (401 problem without a token); the guard answers unreadable bodies.
        var mcp = app.MapMcp("/mcp").RequireAuthorization().WithTags("MCP")
            .ProducesProblems(ErrorCodes.BadRequest, ErrorCodes.Unauthorized, ErrorCodes.NotAcceptable, ErrorCodes.UnsupportedMediaType);
        // Finally: after the SDK's own conventions, so the guard wraps its handler and the description is the last word.
        mcp.Finally(endpoint =>
        {
            endpoint.RequestDelegate = McpRequestGuard.Wrap(endpoint.RequestDelegate!);
            McpOperation.Describe(endpoint);
        });

        // Stateless, so the SDK maps no GET or DELETE; say so as a problem rather than leave them unrouted.
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
                    McpServerInfo.Name,
                    Endpoint(http, server.Value),
                    McpServerInfo.Transport,
                    healthy ? "online" : "degraded",
                    healthy ? null : "The database does not answer; tools that read usage records fail until it does.",
                    ToolCatalog.All.Count,
                    McpServerInfo.ProtocolVersions[0],
                    DateTimeOffset.UtcNow),
            ]));
        });
        api.MapGet("/config", (HttpContext http, IOptions<ServerOptions> server) => TypedResults.Ok(new McpConfig(
            McpServerInfo.Name,
            Endpoint(http, server.Value),
            McpServerInfo.Transport,
            McpAuth.Bearer,
            McpServerInfo.ProtocolVersions,
            ToolCatalog.All.Select(t => new ToolSummary(t.Name, t.Description)),
            new Dictionary<string, object>
            {
                ["mcpServers"] = new Dictionary<string, object>
                {
                    [McpServerInfo.Name] = new { type = "http", url = Endpoint(http, server.Value), headers = new Dictionary<string, string> { ["Authorization"] = "Bearer <access token>" } },
                },
            })));
        return app;
    }

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
