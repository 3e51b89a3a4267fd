using System.Reflection;
using Meridian.Server.Hosting;
using Meridian.Server.Storage;
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
        health.MapGet("/health", Status).WithName("health");
        health.MapGet("/api/health", Status).WithName("api-health");
        health.MapGet("/health/live", () => TypedResults.Ok(new { status = "alive" }));
        health.MapGet("/health/ready", Ready);
        health.MapGet("/api/discovery/services", Discovery);
        health.MapGet("/api/config/public", (IOptions<PublicConfig> config, IHostEnvironment env) => TypedResults.Ok(new
        {
            environment = env.EnvironmentName.ToLowerInvariant(),
            version = Version,
            features = config.Value.Features,
            auth = new { methods = config.Value.AuthMethods },
            limits = config.Value.Limits,
        }));
        return app;
    }

    private static IResult Status(StartupState state)
    {
        if (!state.IsStarted)
        {
            return TypedResults.Json(new { status = "starting", phase = state.Phase, error = state.LastError, service = ServiceName },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var status = state.IsDraining ? "draining" : "healthy";
        return TypedResults.Json(
            new { status, service = ServiceName, version = Version, uptime_seconds = Math.Round(state.UptimeSeconds, 3) },
            statusCode: state.IsDraining ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static async Task<IResult> Ready(StartupState state, IEnumerable<IReadinessCheck> checks, IOptions<StorageOptions> storage)
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

        var body = new
        {
            status = failing.Count == 0 ? "ready" : "not_ready",
            failing,
            checks = results.ToDictionary(r => r.Name, r => new { status = r.Error is null ? "healthy" : "unhealthy", error = r.Error }),
            phase = state.Phase,
        };
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

    private static IResult Discovery(HttpContext context, IOptions<ServerOptions> server)
    {
        var baseUrl = PublicBaseUrl(context, server.Value);
        var wsBase = baseUrl.StartsWith("https://", StringComparison.Ordinal) ? "wss://" + baseUrl["https://".Length..] : "ws://" + baseUrl["http://".Length..];
        return TypedResults.Ok(new
        {
            services = new
            {
                backend = new { url = baseUrl, api_url = baseUrl + "/api", ws_url = wsBase + "/ws" },
                auth = new { url = baseUrl + "/auth" },
                websocket = new { url = wsBase + "/ws", path = "/ws" },
            },
            timestamp = DateTimeOffset.UtcNow,
            available = true,
        });
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
