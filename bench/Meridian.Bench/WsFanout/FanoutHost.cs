using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Bench.WsFanout;

/// <summary>A producer side: starts a phase with a driver, measures after a warm-up, stops it.</summary>
internal abstract class FanoutHost(WebApplication app)
{
    /// <summary>Where the app listens (http://127.0.0.1:port).</summary>
    public Uri BaseAddress { get; } = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async Task<FanoutPhase> PhaseAsync(FanoutReceivers clients, double? rate, TimeSpan warmup, TimeSpan measure)
    {
        using var driver = new FanoutDriver(clients.Count, rate);
        clients.Driver = driver;
        var producing = ProduceAsync(driver);
        await Task.Delay(warmup);
        clients.TakeLatencies();
        var frames = driver.Frames;
        var clock = Stopwatch.StartNew();
        driver.Measuring = true;
        await Task.Delay(measure);
        driver.Measuring = false;
        var delivered = driver.Frames - frames;
        var elapsed = clock.Elapsed.TotalSeconds;
        driver.Stop();
        await producing;
        var latency = clients.TakeLatencies();
        await driver.DrainAsync(); // the tail of the phase arrives before the next one starts
        clients.Driver = null;
        return new FanoutPhase(delivered / (double)clients.Count / elapsed, delivered / elapsed, latency);
    }

    protected abstract Task ProduceAsync(FanoutDriver driver);
}
