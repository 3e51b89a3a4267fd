using Meridian.Server.Errors;
using Meridian.Server.Http;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Hosting;

public static class HostingExtensions
{
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StartupState>();
        services.AddSingleton<InFlightWork>();
        services.AddHostedService<StartupService>();
        services.AddHostedService<DrainService>();
        services.AddHostedService<ListeningBanner>();

        var server = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.WebHost.UseUrls((builder.Configuration["urls"] ?? server.Urls).Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = HeaderSizeLimit.KestrelMaxBytes;
            kestrel.ConfigureEndpointDefaults(KestrelRejections.Use);
        });
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(server.DrainSeconds + 5));
        return builder;
    }

    /// <summary>Until startup completes, and while draining, only health routes are served: WebSocket
    /// upgrades and API calls get 503 with Retry-After (a starting node must not half-answer).</summary>
    public static WebApplication UseStartupGate(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<StartupState>();
        app.Use(async (context, next) =>
        {
            if (state.IsAcceptingWork || !RouteKinds.NeedsReadyNode(context.Request.Path))
            {
                await next(context);
                return;
            }

            context.Response.Headers.RetryAfter = state.IsDraining ? "5" : "2";
            var detail = state.IsDraining
                ? "This node is shutting down; retry on another node."
                : $"This node is starting (phase: {state.Phase}).";
            await Problems.Write(context, state.IsDraining ? ErrorCodes.Draining : ErrorCodes.Starting, detail);
        });
        return app;
    }
}
