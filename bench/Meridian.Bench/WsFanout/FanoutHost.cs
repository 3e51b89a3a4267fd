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

    public async Task<FanoutPhase> PhaseAsync(FanoutReceivers clients, double? rate, TimeSpan warmup, TimeSpan measure) =>
        (await PhaseAsync([clients], rate, warmup, measure))[0];

    /// <summary>One phase whose events go to every group of sockets (e.g. sockets on different nodes), with one
    /// driver waiting for each event to reach all of them; the result of each group, its latencies its own.</summary>
    public async Task<FanoutPhase[]> PhaseAsync(FanoutReceivers[] groups, double? rate, TimeSpan warmup, TimeSpan measure)
    {
        using var driver = new FanoutDriver(groups.Sum(g => g.Count), rate);
        SetDriver(groups, driver);
        var producing = ProduceAsync(driver);
        await Task.Delay(warmup);
        Array.ForEach(groups, g => g.TakeLatencies());
        var clock = Stopwatch.StartNew();
        driver.Measuring = true;
        await Task.Delay(measure);
        driver.Measuring = false;
        var elapsed = clock.Elapsed.TotalSeconds;
        driver.Stop();
        await producing;
        var latencies = groups.Select(g => g.TakeLatencies()).ToArray();
        await driver.DrainAsync(); // the tail of the phase arrives before the next one starts
        SetDriver(groups, null);
        return [.. groups.Select((g, i) => new FanoutPhase(latencies[i].Count / (double)g.Count / elapsed, latencies[i].Count / elapsed, latencies[i]))];
    }

    protected abstract Task ProduceAsync(FanoutDriver driver);

    private static void SetDriver(FanoutReceivers[] groups, FanoutDriver? driver) => Array.ForEach(groups, g => g.Driver = driver);
}
