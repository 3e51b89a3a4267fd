using System.Collections.Concurrent;
using Meridian.Server;
using Meridian.Server.Hosting;
using Meridian.Server.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Bench.WsFanout;

/// <summary>Meridian in this process, with <see cref="FanoutPipeline"/> as its pipeline; each phase is one run.</summary>
internal sealed class MeridianFanoutHost : FanoutHost, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;
    private readonly FanoutPipeline _pipeline;

    private readonly int _runs;

    private MeridianFanoutHost(WebApplication app, string data, FanoutPipeline pipeline, int runs)
        : base(app)
    {
        _runs = runs;
        _app = app;
        _data = data;
        _pipeline = pipeline;
    }

    public static async Task<MeridianFanoutHost> StartAsync(int runs)
    {
        var data = Directory.CreateTempSubdirectory("meridian-bench-fanout-").FullName;
        var pipeline = new FanoutPipeline();
        var app = MeridianApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Server:DataDirectory"] = data,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Auth:JwtSecret"] = BenchAuth.Secret,
            ["Runs:MaxConcurrentRunsPerUser"] = runs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, services => services.AddSingleton<IRunPipeline>(pipeline));
        await app.StartAsync();
        var state = app.Services.GetRequiredService<StartupState>();
        while (!state.IsStarted)
        {
            await Task.Delay(10);
        }

        return new MeridianFanoutHost(app, data, pipeline, runs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>One phase: <c>runs</c> concurrent runs of the user, all handed indexes by the same driver.</summary>
    protected override async Task ProduceAsync(FanoutDriver driver)
    {
        var bus = _app.Services.GetRequiredService<RunBus>();
        var ended = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        using var subscription = bus.SubscribeUser(WsFanoutBenchmark.User, e =>
        {
            if (e.IsTerminal && ended.TryAdd(e.RunId, true) && ended.Count >= _runs)
            {
                allEnded.TrySetResult();
            }
        });
        _pipeline.Driver = driver;
        var service = _app.Services.GetRequiredService<RunService>();
        for (var r = 0; r < _runs; r++)
        {
            var result = await service.StartAsync(WsFanoutBenchmark.User, new StartRunRequest("fan-out"), CancellationToken.None);
            started[result.RunId ?? throw new InvalidOperationException($"run refused: {result.ErrorCode} {result.Message}")] = true;
        }

        await allEnded.Task.WaitAsync(TimeSpan.FromSeconds(120));
    }
}
