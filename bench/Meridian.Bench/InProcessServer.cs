using Meridian.Server;
using Meridian.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Bench;

/// <summary>MeridianApp hosted in the benchmark's process on 127.0.0.1 (a free port), SQLite in a temp folder of its
/// own, logging at Warning, started and ready; for benchmarks that measure a path inside the server.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly string _data;

    private InProcessServer(WebApplication app, string data)
    {
        App = app;
        _data = data;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public WebApplication App { get; }

    /// <summary>Where it listens (http://127.0.0.1:port).</summary>
    public Uri BaseAddress { get; }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Starts the app with <paramref name="settings"/> on top of the benchmark's and waits until it is started.</summary>
    public static async Task<InProcessServer> StartAsync(
        IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, Action<WebApplication>? endpoints = null)
    {
        var data = Directory.CreateTempSubdirectory("meridian-bench-").FullName;
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Server:DataDirectory"] = data,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var app = MeridianApp.Build([], all, services, endpoints);
        await app.StartAsync();
        var state = app.Services.GetRequiredService<StartupState>();
        while (!state.IsStarted)
        {
            await Task.Delay(10);
        }

        return new InProcessServer(app, data);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
