namespace Meridian.Server.Metrics;

public static class MetricsExtensions
{
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<PrometheusExporter>();
        return services;
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text exposition format (version 0.0.4).</summary>
    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        // Created now so that it listens from the first request on.
        var exporter = app.Services.GetRequiredService<PrometheusExporter>();
        app.MapGet("/metrics", () => TypedResults.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithTags("Health")
            .ExcludeFromDescription();
        return app;
    }
}
