using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;
using ModelContextProtocol.Client;

namespace Meridian.Tests.Mcp;

/// <summary>The official MCP client (ModelContextProtocol.Core's <see cref="McpClient"/> over streamable HTTP) against
/// a real running server: the catalog's tools as declared once, each caller's own records, Bearer auth
/// (docs/agents.md#6-mcp).</summary>
public sealed class McpClientTests
{
    private static readonly string Alice = RuntimeHarness.Token("user_mcp_alice");
    private static readonly string Bob = RuntimeHarness.Token("user_mcp_bob");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_client_lists_every_catalog_tool_with_the_catalogs_description_and_schema()
    {
        await using var server = await McpHarness.StartAsync();
        await using var client = await McpHarness.ConnectAsync(server, Alice);

        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        tools.Count.ShouldBe(ToolCatalog.All.Count);
        foreach (var definition in ToolCatalog.All)
        {
            var tool = tools.Single(t => t.Name == definition.Name);
            tool.Description.ShouldBe(definition.Description);
            JsonNode.DeepEquals(JsonNode.Parse(tool.JsonSchema.GetRawText()), definition.InputSchema).ShouldBeTrue(definition.Name);
        }
    }

    [Fact]
    public async Task Each_caller_sees_only_its_own_records()
    {
        await using var server = await McpHarness.StartAsync();
        await ImportAsync(server, Alice, "rag", days: 10);
        await ImportAsync(server, Bob, "chatbot", days: 4);

        var alices = await TotalCostAsync(server, Alice);
        var bobs = await TotalCostAsync(server, Bob);

        alices.ShouldBe(CostBreakdown.Run(await server.Service<UsageStore>().LoadAsync("user_mcp_alice", Ct)).Data.TotalCostUsd);
        bobs.ShouldBe(CostBreakdown.Run(await server.Service<UsageStore>().LoadAsync("user_mcp_bob", Ct)).Data.TotalCostUsd);
        alices.ShouldNotBe(bobs);
    }

    [Fact]
    public async Task Without_a_token_the_client_cannot_connect_and_the_server_answers_401_problems()
    {
        await using var server = await McpHarness.StartAsync();
        const string initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

        var refused = await Should.ThrowAsync<Exception>(() => McpHarness.ConnectAsync(server, token: null));
        var missing = await McpWire.PostAsync(server, initialize, token: null);
        var bad = await McpWire.PostAsync(server, initialize, token: "not-a-token");

        Chain(refused).OfType<HttpRequestException>().ShouldContain(e => e.StatusCode == HttpStatusCode.Unauthorized, refused.ToString());
        missing.ShouldBeProblem(401, "AUTH_REQUIRED");
        missing.Response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        bad.ShouldBeProblem(401, "INVALID_TOKEN");
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static async Task ImportAsync(ServerHarness server, string token, string profile, int days)
    {
        var (response, body) = await server.PostAsync("/api/workloads/synthetic", new { profile, days, calls_per_day = 50, seed = 7 }, token);
        response.IsSuccessStatusCode.ShouldBeTrue(body.ToString());
    }

    private static async Task<decimal> TotalCostAsync(ServerHarness server, string token)
    {
        await using var client = await McpHarness.ConnectAsync(server, token);
        var result = await client.CallToolAsync("cost_breakdown", new Dictionary<string, object?>(), cancellationToken: Ct);
        result.IsError.ShouldNotBe(true);
        return JsonDocument.Parse(result.StructuredContent!.Value.GetRawText()).RootElement.GetProperty("total_cost_usd").GetDecimal();
    }
}
