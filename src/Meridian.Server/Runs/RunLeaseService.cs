using Meridian.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Runs;

/// <summary>Keeps this node's run leases alive and ends runs whose node stopped renewing theirs.</summary>
internal sealed partial class RunLeaseService(
    RunStore runs,
    RunRecovery recovery,
    ActiveRuns active,
    RunNode node,
    StartupState state,
    IOptions<RunOptions> options,
    TimeProvider clock,
    ILogger<RunLeaseService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        using var timer = new PeriodicTimer(lease / 3, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!state.IsStarted)
            {
                continue;
            }

            try
            {
                await runs.RenewLeasesAsync(node.Id, active.Ids, lease, stoppingToken);
                await recovery.SweepAsync(lease, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogLeaseFailure(ex);
            }
        }
    }

    [LoggerMessage(EventId = 611, Level = LogLevel.Warning, Message = "Renewing run leases failed; retrying at the next tick")]
    private partial void LogLeaseFailure(Exception ex);
}
