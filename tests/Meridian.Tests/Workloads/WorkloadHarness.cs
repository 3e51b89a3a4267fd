using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Meridian.Server.Storage;
using Meridian.Server.Workloads;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Workloads;

/// <summary>A real server with two users, Alice and Bob, and helpers to send their usage files over HTTP.</summary>
public sealed class WorkloadHarness : IAsyncDisposable
{
    public const string Alice = "user_alice";
    public const string Bob = "user_bob";

    /// <summary>The header line of a usage CSV with every column (docs/workloads.md).</summary>
    public const string CsvHeader = "timestamp,model,provider,input_tokens,output_tokens,latency_ms,cost_usd,status,feature,prompt_hash";

    private WorkloadHarness(ServerHarness server) => Server = server;

    public ServerHarness Server { get; }

    public UsageStore Store => Server.Service<UsageStore>();

    public static async Task<WorkloadHarness> StartAsync(StorageProvider provider, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Auth:JwtSecret"] = AuthHarness.Secret }.With(settings);

        var server = await ServerHarness.StartAsync(provider, all);
        await using var connection = await server.Service<Database>().OpenAsync();
        foreach (var id in new[] { Alice, Bob })
        {
            await connection.ExecuteAsync("INSERT INTO users (id, created_at) VALUES (@id, 0)", new { id });
        }

        return new WorkloadHarness(server);
    }

    public static string Token(string userId) => AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = userId });

    /// <summary>Posts a raw body with the given content type to the import route.</summary>
    public Task<(HttpResponseMessage Response, JsonElement Body)> ImportAsync(string user, string body, string contentType, string query = "") =>
        SendAsync(user, HttpMethod.Post, "/api/workloads/import" + query, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Uploads a file the way a browser form does.</summary>
    public Task<(HttpResponseMessage Response, JsonElement Body)> UploadAsync(string user, string body, string fileName, string query = "")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("a note the route ignores"), "note" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return SendAsync(user, HttpMethod.Post, "/api/workloads/import" + query, form);
    }

    public Task<(HttpResponseMessage Response, JsonElement Body)> SyntheticAsync(string user, object body) =>
        Server.SendAsync(HttpMethod.Post, "/api/workloads/synthetic", body, Token(user));

    public async Task<JsonElement> SummaryAsync(string user)
    {
        var (response, body) = await Server.SendAsync(HttpMethod.Get, "/api/workloads/summary", token: Token(user));
        ((int)response.StatusCode).ShouldBe(200, body.ToString());
        return body.GetProperty("summary");
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(string? user, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(user));
        }

        using var response = await Server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
