using System.Net.Http.Headers;
using System.Text;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Workloads;

namespace Meridian.Tests.Http;

/// <summary>A body that says something the route cannot take is refused (422), never read as if the field were
/// absent: that would act on something the caller did not ask for.</summary>
public sealed class StrictBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Alice => WorkloadHarness.Token(WorkloadHarness.Alice);

    private static async Task<HttpResponseMessage> PostRawAsync(ServerHarness server, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Alice);
        return await server.Http.SendAsync(request, Ct);
    }

    [Theory]
    [InlineData("{\"message\":\"what do I spend?\",\"thread_id\":5}", "INVALID_THREAD_ID")]
    [InlineData("{\"message\":\"what do I spend?\",\"thread_id\":{\"id\":\"latest\"}}", "INVALID_THREAD_ID")]
    [InlineData("{\"message\":\"what do I spend?\",\"thread_id\":true}", "INVALID_THREAD_ID")]
    [InlineData("{\"message\":\"what do I spend?\",\"agent\":7}", "VALIDATION_FAILED")]
    [InlineData("{\"message\":[\"what do I spend?\"]}", "VALIDATION_FAILED")]
    [InlineData("{\"content\":12}", "VALIDATION_FAILED")]
    public async Task An_execute_field_of_the_wrong_kind_is_a_422_and_runs_nothing(string body, string code)
    {
        await using var harness = await WorkloadHarness.StartAsync(StorageProvider.Sqlite);
        var (created, thread) = await harness.Server.PostAsync("/api/threads", new { title = "latest" }, Alice);
        ((int)created.StatusCode).ShouldBe(201);

        using var response = await PostRawAsync(harness.Server, "/api/agents/execute?wait=false", body);

        await response.ShouldBeCompleteProblemAsync(422, code);
        var (_, runs) = await harness.Server.SendAsync(HttpMethod.Get, $"/api/threads/{thread.Text("id")}/runs", token: Alice);
        runs.GetProperty("runs").GetArrayLength().ShouldBe(0, "the latest thread was not used in place of the one named");
    }

    [Fact]
    public async Task An_execute_with_a_null_thread_id_still_means_a_new_or_latest_thread()
    {
        await using var harness = await WorkloadHarness.StartAsync(StorageProvider.Sqlite);

        var (response, body) = await harness.Server.PostAsync("/api/agents/execute?wait=false", new { message = "what do I spend?", thread_id = (string?)null }, Alice);

        ((int)response.StatusCode).ShouldBeInRange(200, 202, body.ToString());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"title\":\"x\"}]")]
    [InlineData("\"a title\"")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("{\"title\":123}")]
    [InlineData("{\"title\":{\"text\":\"x\"}}")]
    [InlineData("{\"title\":\"ok\",\"thread_id\":5}")]
    public async Task A_thread_body_that_is_not_an_object_of_strings_is_a_422_and_creates_nothing(string body)
    {
        await using var harness = await WorkloadHarness.StartAsync(StorageProvider.Sqlite);

        using var response = await PostRawAsync(harness.Server, "/api/threads", body);

        await response.ShouldBeCompleteProblemAsync(422, "VALIDATION_FAILED", body);
        var (_, list) = await harness.Server.SendAsync(HttpMethod.Get, "/api/threads", token: Alice);
        list.GetProperty("total").GetInt32().ShouldBe(0, body);
    }

    [Fact]
    public async Task A_thread_without_a_body_or_with_an_empty_object_is_untitled()
    {
        await using var harness = await WorkloadHarness.StartAsync(StorageProvider.Sqlite);
        using var bare = new HttpRequestMessage(HttpMethod.Post, "/api/threads");
        bare.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Alice);

        using var none = await harness.Server.Http.SendAsync(bare, Ct);
        using var empty = await PostRawAsync(harness.Server, "/api/threads", "{}");
        using var nullTitle = await PostRawAsync(harness.Server, "/api/threads", "{\"title\":null}");

        foreach (var response in new[] { none, empty, nullTitle })
        {
            ((int)response.StatusCode).ShouldBe(201, await response.Content.ReadAsStringAsync(Ct));
        }
    }
}
