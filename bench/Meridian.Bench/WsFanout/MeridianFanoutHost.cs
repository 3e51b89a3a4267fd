using System.Collections.Concurrent;
using Meridian.Server.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Bench.WsFanout;

/// <summary>Meridian in this process, with <see cref="FanoutPipeline"/> as its pipeline; each phase is one run.</summary>
internal sealed class MeridianFanoutHost : FanoutHost, IAsyncDisposable
{
    private readonly InProcessServer _server;
    private readonly FanoutPipeline _pipeline;
    private readonly int _runs;

    private MeridianFanoutHost(InProcessServer server, FanoutPipeline pipeline, int runs)
        : base(server.App)
    {
        _server = server;
        _pipeline = pipeline;
        _runs = runs;
    }

    /// <param name="settings">More configuration on top of the benchmark's (e.g. PostgreSQL storage and a node id).</param>
    public static async Task<MeridianFanoutHost> StartAsync(int runs, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var pipeline = new FanoutPipeline();
        var all = new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = BenchAuth.Secret,
            ["Runs:MaxConcurrentRunsPerUser"] = runs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var server = await InProcessServer.StartAsync(all, services => services.AddSingleton<IRunPipeline>(pipeline));
        return new MeridianFanoutHost(server, pipeline, runs);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>One phase: <c>runs</c> concurrent runs of the user, all handed indexes by the same driver.</summary>
    protected override async Task ProduceAsync(FanoutDriver driver)
    {
        var bus = _server.Service<RunBus>();
        var ended = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        using var subscription = bus.SubscribeUser(WsFanoutBenchmark.User, e =>
        {
            if (e.IsTerminal && ended.TryAdd(e.RunId, true) && ended.Count >= _runs)
            {
                allEnded.TrySetResult();
            }
        });
        _pipeline.Driver = driver;
        var service = _server.Service<RunService>();
        for (var r = 0; r < _runs; r++)
        {
            var result = await service.StartAsync(WsFanoutBenchmark.User, new StartRunRequest("fan-out"), CancellationToken.None);
            started[result.RunId ?? throw new InvalidOperationException($"run refused: {result.ErrorCode} {result.Message}")] = true;
        }

        await allEnded.Task.WaitAsync(TimeSpan.FromSeconds(120));
    }
}
