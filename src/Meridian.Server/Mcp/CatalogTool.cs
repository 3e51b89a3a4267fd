using System.Text.Json;
using Meridian.Server.Http;
using Meridian.Server.Pricing;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Meridian.Server.Mcp;

/// <summary>One entry of <see cref="ToolCatalog"/> as an MCP tool: the catalog's name, description and JSON Schema,
/// called over the records of the caller the Bearer token names (docs/agents.md#6-mcp). Nothing is declared twice:
/// the SDK lists and dispatches these, the catalog defines them.</summary>
internal sealed partial class CatalogTool(ToolDefinition definition) : McpServerTool
{
    public override Tool ProtocolTool { get; } = new()
    {
        Name = definition.Name,
        Description = definition.Description,
        InputSchema = JsonSerializer.SerializeToElement(definition.InputSchema),
    };

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        // /mcp requires authorization, so the principal is the Bearer scheme's: its sub is the caller.
        var userId = request.User?.FindFirst("sub")?.Value
            ?? throw new InvalidOperationException("No authenticated user: /mcp must require authorization.");
        var services = request.Services ?? throw new InvalidOperationException("The MCP request carries no services.");
        var arguments = request.Params?.Arguments is { } named ? JsonSerializer.SerializeToElement(named) : default;
        try
        {
            var records = await services.GetRequiredService<UsageStore>().LoadAsync(userId, cancellationToken);
            var (summary, data) = definition.Invoke(new ToolInput(records, services.GetRequiredService<PriceCatalog>(), arguments));
            return new CallToolResult
            {
                Content = [new TextContentBlock { Text = summary }],
                StructuredContent = JsonSerializer.SerializeToElement(data, Json.Options),
                IsError = false,
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // A tool that cannot answer these arguments reports it as a tool result, so the calling model can adjust.
            LogFailed(services.GetRequiredService<ILogger<CatalogTool>>(), ex, definition.Name);
            return new CallToolResult { Content = [new TextContentBlock { Text = $"{definition.Name} could not run: {ex.Message}" }], IsError = true };
        }
    }

    [LoggerMessage(EventId = 750, Level = LogLevel.Information, Message = "MCP tool {Tool} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string tool);
}
