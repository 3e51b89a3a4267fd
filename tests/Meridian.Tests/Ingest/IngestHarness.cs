using System.Net.Http.Headers;
using System.Text.Json;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Workloads;

namespace Meridian.Tests.Ingest;

/// <summary>A real server with Alice and Bob (<see cref="WorkloadHarness"/>), and helpers for ingest keys and OTLP
/// exports over real HTTP.</summary>
public sealed class IngestHarness : IAsyncDisposable
{
    private IngestHarness(WorkloadHarness workloads) => Workloads = workloads;

    public WorkloadHarness Workloads { get; }

    public Uri TracesEndpoint => new(Workloads.Server.BaseAddress, "/v1/traces");

    public static async Task<IngestHarness> StartAsync(StorageProvider provider, IDictionary<string, string?>? settings = null) =>
        new(await WorkloadHarness.StartAsync(provider, settings));

    /// <summary>Creates a key for <paramref name="user"/>; returns its id and the key.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string user, string name = "checkout service")
    {
        var (response, body) = await Workloads.Server.SendAsync(HttpMethod.Post, "/api/ingest/keys", new { name }, WorkloadHarness.Token(user));
        ((int)response.StatusCode).ShouldBe(201, body.ToString());
        return (body.Text("id"), body.Text("key"));
    }

    /// <summary>Posts an export body as an exporter would, with the key as a Bearer credential.</summary>
    public async Task<(HttpResponseMessage Response, byte[] Body)> ExportAsync(string? key, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TracesEndpoint) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await Workloads.Server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    public static JsonElement Json(byte[] body) => JsonDocument.Parse(body).RootElement.Clone();

    public ValueTask DisposeAsync() => Workloads.DisposeAsync();
}
