namespace Meridian.Server.Hosting;

/// <summary>Runs the startup phases after Kestrel is listening, so health answers "starting" meanwhile.</summary>
internal sealed partial class StartupService(
    StartupState state,
    IEnumerable<IStartupTask> tasks,
    ILogger<StartupService> logger) : BackgroundService
{
    private static readonly string[] Phases = [StartupState.Storage, StartupState.Migrations, StartupState.Services];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        foreach (var phase in Phases)
        {
            state.Enter(phase);
            LogPhase(phase);
            foreach (var task in tasks.Where(t => t.Phase == phase))
            {
                await RunWithRetryAsync(task, stoppingToken);
            }
        }

        state.Enter(StartupState.Ready);
        LogReady(state.UptimeSeconds * 1000);
    }

    private async Task RunWithRetryAsync(IStartupTask task, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await task.RunAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                state.Fail(ex.Message);
                LogRetry(ex, task.GetType().Name, state.Phase, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Startup phase {Phase}")]
    private partial void LogPhase(string phase);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Startup complete in {ElapsedMs:F0} ms; accepting work")]
    private partial void LogReady(double elapsedMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Startup task {Task} failed in phase {Phase}; retrying in {DelaySeconds} s")]
    private partial void LogRetry(Exception ex, string task, string phase, double delaySeconds);
}
