using System.Reflection;
using Meridian.Server.Hosting;
using Meridian.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Health;

/// <summary>Health and discovery (docs/http-api.md#2-health-and-discovery): no auth, no redirects, never rate limited, never a 500.
/// Health answers are status documents (<c>{"status": ...}</c>), also when they are 503.</summary>
public static class HealthEndpoints
{
    public const string ServiceName = "meridian";

    public static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddOptions<PublicConfig>();
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        var health = app.MapGroup("").WithTags("Health");
        // The status is chosen at run time, so the answers are declared here: 503 is a status document too.
        health.MapGet("/health", Status).WithName("health").ProducesStatus<ServiceHealth, HealthStatus>();
        health.MapGet("/api/health", Status).WithName("api-health").ProducesStatus<ServiceHealth, HealthStatus>();
        health.MapGet("/health/live", () => TypedResults.Ok(Liveness.Alive));
        health.MapGet("/health/ready", Ready).ProducesStatus<Readiness, Readiness>();
        health.MapGet("/api/discovery/services", Discovery);
        health.MapGet("/api/config/public", (IOptions<PublicConfig> config, IHostEnvironment env) => TypedResults.Ok(new PublicConfigView(
            env.EnvironmentName.ToLowerInvariant(),
            Version,
            config.Value.Features,
            new PublicAuthMethods(config.Value.AuthMethods),
            config.Value.Limits)));
        return app;
    }

    private static RouteHandlerBuilder ProducesStatus<TReady, TUnavailable>(this RouteHandlerBuilder route) =>
        route.Produces<TReady>(StatusCodes.Status200OK).Produces<TUnavailable>(StatusCodes.Status503ServiceUnavailable);

    private static JsonHttpResult<HealthStatus> Status(StartupState state)
    {
        if (!state.IsStarted)
        {
            return TypedResults.Json<HealthStatus>(new StartingHealth("starting", state.Phase, state.LastError, ServiceName),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var status = state.IsDraining ? "draining" : "healthy";
        return TypedResults.Json<HealthStatus>(
            new ServiceHealth(status, ServiceName, Version, Math.Round(state.UptimeSeconds, 3)),
            statusCode: state.IsDraining ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static async Task<JsonHttpResult<Readiness>> Ready(StartupState state, IEnumerable<IReadinessCheck> checks, IOptions<StorageOptions> storage)
    {
        var timeout = TimeSpan.FromSeconds(storage.Value.ReadinessTimeoutSeconds);
        var results = await Task.WhenAll(checks.Select(check => Probe(check, timeout)));
        var failing = results.Where(r => r.Error is not null).Select(r => r.Name).ToList();
        if (!state.IsStarted)
        {
            failing.Add("startup");
        }

        if (state.IsDraining)
        {
            failing.Add("draining");
        }

        var body = new Readiness(
            failing.Count == 0 ? "ready" : "not_ready",
            failing,
            results.ToDictionary(r => r.Name, r => new CheckStatus(r.Error is null ? "healthy" : "unhealthy", r.Error)),
            state.Phase);
        return TypedResults.Json(body, statusCode: failing.Count == 0 ? 200 : 503);
    }

    private static async Task<(string Name, string? Error)> Probe(IReadinessCheck check, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            // WaitAsync bounds checks whose client ignores cancellation while connecting.
            return (check.Name, await check.CheckAsync(cts.Token).WaitAsync(timeout));
        }
        catch (Exception ex)
        {
            return (check.Name, ex is TimeoutException or OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : ex.Message);
        }
    }

    private static Ok<ServiceDiscovery> Discovery(HttpContext context, IOptions<ServerOptions> server)
    {
        var baseUrl = PublicBaseUrl(context, server.Value);
        var wsBase = baseUrl.StartsWith("https://", StringComparison.Ordinal) ? "wss://" + baseUrl["https://".Length..] : "ws://" + baseUrl["http://".Length..];
        var services = new DiscoveredServices(
            new BackendService(baseUrl, baseUrl + "/api", wsBase + "/ws"),
            new AuthService(baseUrl + "/auth"),
            new WebSocketService(wsBase + "/ws", "/ws"));
        return TypedResults.Ok(new ServiceDiscovery(services, DateTimeOffset.UtcNow, true));
    }

    /// <summary>The configured public URL, else the scheme and host the request arrived with.</summary>
    public static string PublicBaseUrl(HttpContext context, ServerOptions server)
    {
        if (!string.IsNullOrWhiteSpace(server.PublicUrl))
        {
            return server.PublicUrl.TrimEnd('/');
        }

        var request = context.Request;
        var host = request.Host.HasValue
            ? request.Host.Value
            : $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}";
        return $"{(request.IsHttps ? "https" : "http")}://{host}{request.PathBase}";
    }
}
