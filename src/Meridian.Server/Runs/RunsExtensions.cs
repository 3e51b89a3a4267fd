using Meridian.Server.Health;
using Meridian.Server.Hosting;
using Meridian.Server.Threads;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Runs;

public static class RunsExtensions
{
    public static IServiceCollection AddRuns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RunOptions>().BindConfiguration(RunOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RunOptions>, RunOptionsValidator>();
        // Clients show a counter against the longest message before they send (docs/http-api.md).
        services.AddOptions<PublicConfig>().Configure<IOptions<RunOptions>>((config, runs) => config.Limits["max_input_length"] = runs.Value.MaxInputLength);
        services.AddSingleton(new RunNode(configuration["Runs:NodeId"] is { Length: > 0 } id ? id : Environment.MachineName));
        services.AddSingleton<ThreadStore>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<RunEventStore>();
        services.AddSingleton<RunBus>();
        services.AddSingleton<RunEventWriter>();
        services.AddSingleton<IRunEventSink>(sp => sp.GetRequiredService<RunEventWriter>());
        services.AddSingleton<RunReplay>();
        services.AddSingleton<RunScheduler>();
        services.AddSingleton<ActiveRuns>();
        services.AddSingleton<RunMetrics>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunService>();
        services.AddSingleton<RunEndWatch>();
        services.AddSingleton<LocalRunIntake>();
        services.AddSingleton<RunRecovery>();
        services.AddSingleton<IStartupTask, RecoverRuns>();
        services.AddHostedService<RunLeaseService>();
        return services;
    }

    /// <summary>Phase "services": end the runs this node left behind before accepting new ones.</summary>
    private sealed class RecoverRuns(RunRecovery recovery) : IStartupTask
    {
        public string Phase => StartupState.Services;

        public Task RunAsync(CancellationToken cancellationToken) => recovery.RecoverOwnAsync(cancellationToken);
    }
}
