using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Meridian.Server.Telemetry;

/// <summary>OpenTelemetry: metrics at <c>/metrics</c> in the Prometheus text format, and metrics and traces over
/// OTLP when an OTLP endpoint is configured (docs/operations.md#6-logs-and-metrics).</summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = OtlpExport.IsConfigured(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(OtlpExport.ServiceName(builder.Configuration), serviceVersion: OtlpExport.ServiceVersion))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MetricStreams.Meters).AddPrometheusExporter(o =>
                {
                    o.ScrapeResponseCacheDurationMilliseconds = 0; // every scrape reads the current numbers
                    o.ScopeInfoEnabled = false; // series keep their own labels only
                });
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, b) =>
                    b.AddView(MetricStreams.View(services.GetRequiredService<IMeterFactory>())));
            });
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary><c>GET /metrics</c>: public like the health probes, never redirected, left out of the API document.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics")
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .WithTags("Health")
            .ExcludeFromDescription();
        return app;
    }
}
