using Microsoft.Extensions.Options;

namespace Meridian.Server.Hosting;

/// <summary>On shutdown, gives in-flight work up to <see cref="ServerOptions.DrainSeconds"/> to finish.
/// It turns the node to draining (readiness 503, new work refused) and waits in <see cref="StoppingAsync"/>, which
/// the host calls before ApplicationStopping and before any service stops, so Kestrel keeps answering probes and
/// in-flight requests meanwhile.</summary>
internal sealed partial class DrainService(
    StartupState state,
    InFlightWork work,
    IOptions<ServerOptions> options,
    ILogger<DrainService> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDrain();
        if (work.Count == 0)
        {
            return;
        }

        LogDraining(work.Count, options.Value.DrainSeconds);
        var drain = Task.Delay(TimeSpan.FromSeconds(options.Value.DrainSeconds), cancellationToken);
        if (await Task.WhenAny(work.WhenIdle(), drain) == drain)
        {
            LogAbandoned(work.Count);
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Draining: waiting up to {Seconds} s for {Count} in-flight operations")]
    private partial void LogDraining(int count, int seconds);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Drain time elapsed with {Count} operations still in flight")]
    private partial void LogAbandoned(int count);
}
