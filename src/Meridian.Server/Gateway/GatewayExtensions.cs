using Meridian.Server.Health;
using Meridian.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

public static class GatewayExtensions
{
    private static readonly string[] Aliases = ["/websocket"];
    private static readonly string[] AuthMethods = ["authorization_header", "subprotocol", "query_token", "auth_message"];

    public static IServiceCollection AddGateway(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<Welcome>();
        services.AddSingleton<ChatAccess>();
        services.AddSingleton<ThreadFrames>();
        services.AddSingleton<FrameHandler>();
        services.AddSingleton<FrameReader>();
        services.AddSingleton<AcceptPacer>();
        services.AddSingleton<GatewayEndpoint>();
        services.AddSingleton<GatewayHousekeeping>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayHousekeeping>());
        services.AddSingleton<SocketRevocation>();
        services.AddHostedService(sp => sp.GetRequiredService<SocketRevocation>());
        services.AddHostedService<GatewayShutdown>();
        services.Configure<PublicConfig>(c => c.Features["websocket"] = true);
        return services;
    }

    /// <summary>First in the pipeline: WebSocket upgrades, and the gateway's fast path for handshakes it accepts.</summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseWebSockets();
        app.UseMiddleware<GatewayFastPath>();
        return app;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        foreach (var path in GatewayFastPath.Paths)
        {
            app.Map(path, (HttpContext context, GatewayEndpoint endpoint) => endpoint.HandleAsync(context)).ExcludeFromDescription();
        }

        app.MapGet("/ws/config", (IOptions<GatewayOptions> options) =>
        {
            var o = options.Value;
            return TypedResults.Ok(new GatewayConfig("/ws", Aliases, 1, HandshakeCredentials.JwtAuthProtocol, AuthMethods, new GatewayLimits(
                o.MaxMessageSize, o.HardMessageCap, o.HeartbeatIntervalSeconds, o.AuthTimeoutSeconds, o.ReauthGraceSeconds,
                o.RevocationCheckSeconds, o.MessagesPerMinute, o.MessageBurst, o.FramesPerSecond, o.FrameBurst, o.SendQueueFrames)));
        }).WithTags("WebSocket");
        app.MapGet("/ws/health", (ConnectionRegistry registry, StartupState state) => TypedResults.Ok(new GatewayHealth(
            state.IsDraining ? "draining" : state.IsStarted ? "healthy" : "starting",
            registry.Count,
            registry.Authenticated,
            registry.Users,
            registry.TotalQueueDepth))).WithTags("WebSocket");
        return app;
    }
}
