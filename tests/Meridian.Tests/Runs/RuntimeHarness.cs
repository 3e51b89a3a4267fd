using System.Text.Json;
using Dapper;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Runs;

/// <summary>A real server with a scripted pipeline, and helpers to look at what its runs stored.</summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    private RuntimeHarness(ServerHarness server) => Server = server;

    public ServerHarness Server { get; }

    public RunService Runs => Server.Service<RunService>();

    public static async Task<RuntimeHarness> StartAsync(
        IRunPipeline? pipeline, StorageProvider provider = StorageProvider.Sqlite, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Auth:JwtSecret"] = AuthHarness.Secret }.With(settings);

        var server = await ServerHarness.StartAsync(provider, all, services =>
        {
            if (pipeline is not null)
            {
                services.AddSingleton(pipeline);
            }
        });
        var harness = new RuntimeHarness(server);
        await harness.AddUsersAsync("user_a", "user_b");
        return harness;
    }

    /// <summary>An access token for a user id, signed with the server's key.</summary>
    public static string Token(string userId) => AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = userId });

    public async Task AddUsersAsync(params string[] ids)
    {
        await using var connection = await Server.Service<Database>().OpenAsync();
        foreach (var id in ids)
        {
            await connection.ExecuteAsync("INSERT INTO users (id, created_at) VALUES (@id, 0) ON CONFLICT (id) DO NOTHING", new { id });
        }
    }

    public async Task<string> StartAsync(string user, string text, string? thread = null, string? agent = null)
    {
        var result = await Runs.StartAsync(user, new StartRunRequest(text, agent, thread), CancellationToken.None);
        result.Accepted.ShouldBeTrue($"{result.ErrorCode}: {result.Message}");
        return result.RunId!;
    }

    public async Task<List<JsonElement>> EventsAsync(string runId) =>
        (await Server.Service<RunEventStore>().ReadAsync(runId, 0, 10_000, CancellationToken.None)).Select(e => RunInvariants.Parse(e.Payload)).ToList();

    public static List<string> Types(IEnumerable<JsonElement> events) => events.Select(e => e.GetProperty("type").GetString()!).ToList();

    /// <summary>Waits (bounded) until the run has a final status, and returns it.</summary>
    public async Task<RunRecord> EndedAsync(string runId, string user = "user_a")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var run = await Runs.GetAsync(user, runId, CancellationToken.None);
            if (run is not null && !RunStatus.IsActive(run.Status))
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                var types = Types(await EventsAsync(runId));
                throw new TimeoutException($"Run {runId} did not end within 30 s: status {run?.Status}, events [{string.Join(", ", types)}]");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits (bounded) for the run to reach a status.</summary>
    public async Task WaitForStatusAsync(string runId, string status, string user = "user_a")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await Runs.GetAsync(user, runId, timeout.Token))?.Status != status)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
