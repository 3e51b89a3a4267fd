using Meridian.Server.Agents;
using Meridian.Server.Auth;
using Meridian.Server.Cluster;
using Meridian.Server.Errors;
using Meridian.Server.Gateway;
using Meridian.Server.Health;
using Meridian.Server.Hosting;
using Meridian.Server.Http;
using Meridian.Server.Ingest;
using Meridian.Server.Llm;
using Meridian.Server.Mcp;
using Meridian.Server.Pricing;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Server.Telemetry;
using Meridian.Server.Threads;
using Meridian.Server.Workloads;
using Microsoft.Extensions.Options;

namespace Meridian.Server;

/// <summary>The composition root: every capability registers its services and maps its routes here.</summary>
public static class MeridianApp
{
    /// <summary>Builds the application. <paramref name="settings"/> override every other configuration source
    /// (tests and embedding hosts use them); <paramref name="services"/> runs after Meridian's registrations and
    /// <paramref name="endpoints"/> after Meridian's routes are mapped.</summary>
    public static WebApplication Build(
        string[] args,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? endpoints = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = MeridianEnvironment.Resolve(args, settings),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("MERIDIAN_");
        builder.Configuration.AddCommandLine(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddHosting();
        builder.Services.AddErrors();
        builder.Services.AddHttpPipeline(builder.Configuration);
        builder.Services.AddWebApp();
        builder.AddTelemetry();
        builder.Services.AddStorage(builder.Configuration);
        builder.Services.AddHealth();
        builder.Services.AddAuth(builder.Configuration);
        builder.Services.AddAgents();
        builder.Services.AddRuns(builder.Configuration);
        builder.Services.AddLlm(builder.Configuration);
        builder.Services.AddMcp();
        builder.Services.AddGateway();
        builder.Services.AddCluster();
        builder.Services.AddPricing(builder.Configuration);
        builder.Services.AddWorkloads(builder.Configuration);
        builder.Services.AddIngest();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseCluster();
        app.UseGateway();
        app.UseErrors();
        app.UseHttpPipeline();
        app.UseStartupGate();
        app.UseAuth();
        app.MapHealth();
        app.MapAuth();
        app.MapThreads();
        app.MapRuns();
        app.MapAgents();
        app.MapMcpServer();
        app.MapGateway();
        app.MapWorkloads();
        app.MapPrices();
        app.MapIngest();
        app.MapMetrics();
        app.MapApiDocs();
        app.MapWebApp();
        endpoints?.Invoke(app);
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            return StartupFailure.Report(ex);
        }

        if (args.Length > 0 && args[0] == "migrate")
        {
            return await MigrateCommand.RunAsync(app);
        }

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (StartupFailure.IsConfigurationError(ex))
        {
            return StartupFailure.Report(ex);
        }
    }
}
