using Meridian.Server.Hosting;
using Meridian.Server.Runs;
using Meridian.Server.Storage;

namespace Meridian.Server.Cluster;

/// <summary>Several nodes on one PostgreSQL database (docs/deploy.md): the run queue they share, run events and
/// control messages between them over LISTEN/NOTIFY. With SQLite every part stays idle.</summary>
public static class ClusterExtensions
{
    /// <summary>The response header naming the node that answered (load balancer debugging, tests).</summary>
    public const string NodeHeader = "X-Meridian-Node";

    public static IServiceCollection AddCluster(this IServiceCollection services)
    {
        services.AddSingleton<RemoteEventRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<RemoteEventRelay>());
        services.AddSingleton<ClusterControl>();
        services.AddSingleton<IRunPeers>(sp => sp.GetRequiredService<ClusterControl>());
        services.AddSingleton<RunQueueStore>();
        services.AddSingleton<RunDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RunDispatcher>());
        services.AddSingleton<ClusterRunIntake>();
        // SQLite keeps a single node's in-process queue; PostgreSQL shares one queue between the nodes.
        services.AddSingleton<IRunIntake>(sp => sp.GetRequiredService<Database>().IsPostgres
            ? sp.GetRequiredService<ClusterRunIntake>()
            : sp.GetRequiredService<LocalRunIntake>());
        services.AddSingleton<ClusterListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterListener>());
        services.AddSingleton<ClusterMetrics>();
        services.AddSingleton<IStartupTask, AwaitListener>();
        return services;
    }

    /// <summary>First in the pipeline: every answer, the WebSocket handshake's 101 included, names this node.</summary>
    public static WebApplication UseCluster(this WebApplication app)
    {
        var node = app.Services.GetRequiredService<RunNode>().Id;
        // Created with the app, so the node id and the link gauges are on /metrics from the start.
        app.Services.GetRequiredService<ClusterMetrics>();
        app.Use((context, next) =>
        {
            context.Response.Headers[NodeHeader] = node;
            return next(context);
        });
        return app;
    }

    /// <summary>Phase "services": a node takes no work before it hears the others (their events, stops, revocations).</summary>
    private sealed class AwaitListener(ClusterListener listener) : IStartupTask
    {
        public string Phase => StartupState.Services;

        public Task RunAsync(CancellationToken cancellationToken) => listener.FirstConnection.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }
}
