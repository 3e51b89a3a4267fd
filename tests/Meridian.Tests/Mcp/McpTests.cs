using System.Net;
using System.Text.Json;
using Meridian.Server.Mcp;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Meridian.Tests.Mcp;

public sealed class McpTests
{
    private static readonly string Alice = RuntimeHarness.Token("user_a");
    private static readonly string Bob = RuntimeHarness.Token("user_b");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_mcp_client_lists_the_tools_and_calls_one_over_the_callers_own_records()
    {
        await using var server = await McpHarness.StartAsync();
        var (imported, body) = await server.PostAsync("/api/workloads/synthetic", new { profile = "rag", days = 14, calls_per_day = 200, seed = 3 }, Alice);
        imported.IsSuccessStatusCode.ShouldBeTrue(body.ToString());

        await using var alice = await McpHarness.ConnectAsync(server, Alice);
        var tools = await alice.ListToolsAsync(cancellationToken: Ct);
        tools.Select(t => t.Name).ShouldBe(ToolCatalog.All.Select(t => t.Name), ignoreOrder: true);
        tools.Count.ShouldBe(8);

        var result = await alice.CallToolAsync("cost_breakdown", new Dictionary<string, object?>(), cancellationToken: Ct);
        result.IsError.ShouldNotBe(true);
        var records = await server.Service<UsageStore>().LoadAsync("user_a", Ct);
        var expected = CostBreakdown.Run(records);
        result.Content.OfType<TextContentBlock>().Single().Text.ShouldBe(expected.Summary);
        var structured = JsonDocument.Parse(result.StructuredContent!.Value.GetRawText()).RootElement;
        structured.GetProperty("total_cost_usd").GetDecimal().ShouldBe(expected.Data.TotalCostUsd);
        structured.GetProperty("by_model").GetArrayLength().ShouldBe(expected.Data.ByModel.Count);

        await using var bob = await McpHarness.ConnectAsync(server, Bob);
        var bobs = await bob.CallToolAsync("usage_query", new Dictionary<string, object?>(), cancellationToken: Ct);
        bobs.Content.OfType<TextContentBlock>().Single().Text.ShouldBe("No usage records match.");

        var stated = await bob.CallToolAsync("savings_estimate", new Dictionary<string, object?> { ["monthly_cost_usd"] = 12000, ["models"] = new[] { "gpt-4o" } }, cancellationToken: Ct);
        var savings = JsonDocument.Parse(stated.StructuredContent!.Value.GetRawText()).RootElement;
        savings.GetProperty("monthly_cost_usd").GetDecimal().ShouldBe(12000m);
        savings.GetProperty("strategies").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Faults_are_problem_details_over_http_and_json_rpc_errors_inside_a_message()
    {
        await using var server = await McpHarness.StartAsync();

        (await server.SendAsync(HttpMethod.Post, "/mcp", Rpc("tools/list"))).ShouldBeProblem(401, "AUTH_REQUIRED");
        (await server.SendAsync(HttpMethod.Get, "/mcp", token: Alice)).ShouldBeProblem(405, "METHOD_NOT_ALLOWED");
        (await Raw(server, "{not json", Alice)).ShouldBeProblem(400, "BAD_REQUEST");
        (await Raw(server, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", Alice)).ShouldBeProblem(400, "VALIDATION_FAILED");

        var (accepted, _) = await McpWire.PostAsync(server, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Alice);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        (await RpcError(server, Rpc("no/such/method"))).ShouldBe(-32601);
        (await RpcError(server, Rpc("tools/call", new { name = "no_such_tool" }))).ShouldBe(-32602);
        (await RpcError(server, Rpc("tools/call", new { name = "usage_query", arguments = 5 }))).ShouldBe(-32602);
        (await RpcError(server, Rpc("tools/call", new { name = 5 }))).ShouldBe(-32602);

        var (_, init) = await McpWire.PostAsync(server, JsonSerializer.Serialize(Rpc("initialize", new { protocolVersion = "1999-01-01", capabilities = new { }, clientInfo = new { name = "t", version = "1" } })), Alice);
        init.GetProperty("result").Text("protocolVersion").ShouldBe(McpServerInfo.ProtocolVersions[0]);
        init.GetProperty("id").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task The_api_lists_the_server_with_its_live_status_and_describes_how_to_connect()
    {
        await using var server = await McpHarness.StartAsync();

        var (_, servers) = await server.SendAsync(HttpMethod.Get, "/api/mcp/servers");
        var listed = servers.GetProperty("servers")[0];
        listed.Text("status").ShouldBe("online");
        listed.Text("url").ShouldBe(new Uri(server.BaseAddress, "/mcp").ToString());
        listed.GetProperty("tools").GetInt32().ShouldBe(8);

        var (_, config) = await server.SendAsync(HttpMethod.Get, "/api/mcp/config");
        config.GetProperty("auth").Text("type").ShouldBe("bearer");
        config.GetProperty("client_config").GetProperty("mcpServers").GetProperty("meridian").Text("url").ShouldBe(listed.Text("url"));
    }

    [Theory]
    [InlineData("/api/mcp/servers")]
    [InlineData("/api/mcp/config")]
    public async Task Mcp_discovery_needs_no_credentials_like_service_discovery_and_shows_no_users_data(string path)
    {
        await using var server = await McpHarness.StartAsync();
        var (imported, _) = await server.PostAsync("/api/workloads/synthetic", new { profile = "rag", days = 2, calls_per_day = 5, seed = 3 }, Alice);
        imported.IsSuccessStatusCode.ShouldBeTrue();

        var (anonymous, body) = await server.SendAsync(HttpMethod.Get, path);
        var (withToken, sameBody) = await server.SendAsync(HttpMethod.Get, path, token: Alice);
        var (badToken, _) = await server.SendAsync(HttpMethod.Get, path, token: "not-a-token");

        anonymous.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        anonymous.ShouldCarryStandardHeaders();
        withToken.StatusCode.ShouldBe(HttpStatusCode.OK);
        badToken.StatusCode.ShouldBe(HttpStatusCode.OK, "discovery ignores credentials, like /api/discovery/services");
        var text = body.ToString();
        text.ShouldNotContain("user_a");
        text.ShouldNotContain("rag");
        Without(text, "checked_at").ShouldBe(Without(sameBody.ToString(), "checked_at"), "the caller does not change what discovery says");
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", "object")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":{\"n\":1},\"method\":\"tools/list\"}", "object")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}", "array")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", "true")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", "null")]
    public async Task A_request_whose_id_is_no_string_or_number_is_an_invalid_request_with_a_null_id(string json, string kind)
    {
        await using var server = await McpHarness.StartAsync();

        var (response, body) = await Raw(server, json, Alice);

        var problem = await response.ShouldBeCompleteProblemAsync(400, "VALIDATION_FAILED");
        problem.Text("jsonrpc").ShouldBe("2.0");
        problem.GetProperty("id").ValueKind.ShouldBe(JsonValueKind.Null);
        problem.GetProperty("error").GetProperty("code").GetInt32().ShouldBe(-32600);
        problem.GetProperty("error").Text("message").ShouldContain(kind);
        body.TryGetProperty("result", out _).ShouldBeFalse();
    }

    private static string Without(string json, string property) =>
        System.Text.RegularExpressions.Regex.Replace(json, $"\"{property}\":\\s*\"[^\"]*\"", "");

    private static object Rpc(string method, object? parameters = null) => new { jsonrpc = "2.0", id = 1, method, @params = parameters ?? new { } };

    private static async Task<int> RpcError(ServerHarness server, object message)
    {
        var (response, body) = await McpWire.PostAsync(server, JsonSerializer.Serialize(message), Alice);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("error").GetProperty("code").GetInt32();
    }

    private static async Task<(HttpResponseMessage, JsonElement)> Raw(ServerHarness server, string json, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = AuthHarness.Bearer(token);
        var response = await server.Http.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone());
    }
}
