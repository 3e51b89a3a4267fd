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
            return TypedResults.Ok(new
            {
                endpoint = "/ws",
                aliases = Aliases,
                protocol_version = 1,
                subprotocol = HandshakeCredentials.JwtAuthProtocol,
                auth_methods = AuthMethods,
                limits = new
                {
                    max_message_size = o.MaxMessageSize,
                    hard_message_cap = o.HardMessageCap,
                    heartbeat_interval = o.HeartbeatIntervalSeconds,
                    auth_timeout = o.AuthTimeoutSeconds,
                    reauth_grace = o.ReauthGraceSeconds,
                    revocation_check = o.RevocationCheckSeconds,
                    messages_per_minute = o.MessagesPerMinute,
                    message_burst = o.MessageBurst,
                    frames_per_second = o.FramesPerSecond,
                    frame_burst = o.FrameBurst,
                    send_queue_frames = o.SendQueueFrames,
                },
            });
        }).WithTags("WebSocket");
        app.MapGet("/ws/health", (ConnectionRegistry registry, StartupState state) => TypedResults.Ok(new
        {
            status = state.IsDraining ? "draining" : state.IsStarted ? "healthy" : "starting",
            active_connections = registry.Count,
            authenticated_connections = registry.Authenticated,
            users = registry.Users,
            send_queue_depth = registry.TotalQueueDepth,
        })).WithTags("WebSocket");
        return app;
    }
}
