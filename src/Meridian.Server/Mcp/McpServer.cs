using System.Text.Json;
using Meridian.Server.Http;
using Meridian.Server.Pricing;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;

namespace Meridian.Server.Mcp;

/// <summary>Meridian's tools as a Model Context Protocol server: <c>initialize</c>, <c>ping</c>, <c>tools/list</c> and
/// <c>tools/call</c>. Stateless (no session id): every call reads the caller's own records afresh, so any node of a
/// cluster can answer it.</summary>
public sealed class McpServer(UsageStore usage, PriceCatalog catalog, ILogger<McpServer> logger)
{
    public const string Name = "meridian";

    /// <summary>Protocol revisions this server speaks, newest first; a client asking for another gets the newest.</summary>
    public static readonly IReadOnlyList<string> ProtocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

    public async Task<JsonRpcResponse> HandleAsync(string userId, JsonRpcMessage message, CancellationToken ct) => message.Method switch
    {
        "initialize" => message.Result(new
        {
            protocolVersion = Negotiate(message.Params),
            capabilities = new { tools = new { listChanged = false } },
            serverInfo = new { name = Name, title = "Meridian", version = typeof(McpServer).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" },
            instructions = "Tools over the caller's own LLM usage records and Meridian's price catalog. Import records first (POST /api/workloads/import) or pass stated figures to the pricing tools.",
        }),
        "ping" => message.Result(new { }),
        "tools/list" => message.Result(new
        {
            tools = ToolCatalog.All.Select(t => new { name = t.Name, description = t.Description, inputSchema = t.InputSchema }),
        }),
        "tools/call" => await CallAsync(userId, message, ct),
        _ => message.Error(JsonRpcErrors.MethodNotFound, $"Method '{message.Method}' is not supported."),
    };

    private async Task<JsonRpcResponse> CallAsync(string userId, JsonRpcMessage message, CancellationToken ct)
    {
        if (message.Params.ValueKind != JsonValueKind.Object || !message.Params.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            return message.Error(JsonRpcErrors.InvalidParams, "tools/call needs params.name.");
        }

        var name = nameElement.GetString()!;
        if (ToolCatalog.Find(name) is not { } tool)
        {
            return message.Error(JsonRpcErrors.InvalidParams, $"Unknown tool '{name}'.");
        }

        var arguments = message.Params.TryGetProperty("arguments", out var args) ? args : default;
        if (arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            return message.Error(JsonRpcErrors.InvalidParams, "params.arguments must be an object.");
        }

        try
        {
            var records = await usage.LoadAsync(userId, ct);
            var (summary, data) = tool.Invoke(new ToolInput(records, catalog, arguments));
            return message.Result(new
            {
                content = new[] { new { type = "text", text = summary } },
                structuredContent = JsonSerializer.SerializeToElement(data, Json.Options),
                isError = false,
            });
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // A tool that cannot answer these arguments reports it as a tool result, so the calling model can adjust.
            logger.LogInformation(ex, "MCP tool {Tool} failed", name);
            return message.Result(new { content = new[] { new { type = "text", text = $"{name} could not run: {ex.Message}" } }, isError = true });
        }
    }

    private static string Negotiate(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String
            && ProtocolVersions.Contains(v.GetString())
            ? v.GetString()!
            : ProtocolVersions[0];
}
