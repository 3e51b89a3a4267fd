using System.Net.Http.Headers;
using System.Text;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Workloads;

namespace Meridian.Tests.Http;

/// <summary>JSON text is UTF-8; a body whose string holds other bytes is malformed JSON, refused with a 400 problem
/// wherever client JSON is read, not a fault when the string is read later.</summary>
public sealed class InvalidUtf8BodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A JSON body with one string holding the byte 0xFF (never valid in UTF-8) where <c>{BAD}</c> stands.</summary>
    private static ByteArrayContent Body(string template)
    {
        var parts = template.Split("{BAD}");
        var bytes = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                bytes.AddRange((byte[])[0x61, 0xFF, 0x62]);
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
        }

        var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    [Theory]
    [InlineData("POST", "/api/threads", "{\"title\":\"{BAD}\"}")]
    [InlineData("PUT", "/api/threads/utf8-thread", "{\"title\":\"{BAD}\"}")]
    [InlineData("POST", "/api/agents/execute", "{\"message\":\"{BAD}\"}")]
    [InlineData("POST", "/api/agents/data", "{\"message\":\"{BAD}\"}")]
    [InlineData("POST", "/api/workloads/synthetic", "{\"profile\":\"{BAD}\"}")]
    [InlineData("POST", "/api/workloads/synthetic", "{\"profile\":\"rag\",\"{BAD}\":1}")]
    public async Task A_body_string_with_bytes_that_are_not_utf8_is_a_400_problem(string method, string path, string template)
    {
        await using var harness = await WorkloadHarness.StartAsync(StorageProvider.Sqlite);
        var (created, _) = await harness.Server.SendAsync(HttpMethod.Post, "/api/threads", new { thread_id = "utf8-thread", title = "before" }, WorkloadHarness.Token(WorkloadHarness.Alice));
        ((int)created.StatusCode).ShouldBe(201);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(template) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WorkloadHarness.Token(WorkloadHarness.Alice));

        using var response = await harness.Server.Http.SendAsync(request, Ct);

        await response.ShouldBeCompleteProblemAsync(400, "BAD_REQUEST");
        var (_, thread) = await harness.Server.SendAsync(HttpMethod.Get, "/api/threads/utf8-thread", token: WorkloadHarness.Token(WorkloadHarness.Alice));
        thread.GetProperty("title").GetString().ShouldBe("before");
    }

    [Fact]
    public async Task Over_mcp_such_a_body_is_a_json_rpc_parse_error_and_never_reaches_a_tool()
    {
        await using var harness = await WorkloadHarness.StartAsync(StorageProvider.Sqlite);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = Body("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"usage_query\",\"arguments\":{\"model\":\"{BAD}\"}}}"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WorkloadHarness.Token(WorkloadHarness.Alice));

        using var response = await harness.Server.Http.SendAsync(request, Ct);

        var body = await response.ShouldBeCompleteProblemAsync(400, "BAD_REQUEST");
        body.GetProperty("jsonrpc").GetString().ShouldBe("2.0");
        body.GetProperty("id").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        body.GetProperty("error").GetProperty("code").GetInt32().ShouldBe(-32700);
        body.ToString().ShouldNotContain("transcode");
        body.TryGetProperty("result", out _).ShouldBeFalse();
    }
}
