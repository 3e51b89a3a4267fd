using System.Diagnostics.Metrics;
using Meridian.Server.Http;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Meridian.Server.Telemetry;

/// <summary>OpenTelemetry: metrics at <c>/metrics</c> in the Prometheus text format, and metrics and traces over
/// OTLP when an OTLP endpoint is configured (docs/operations.md#8-sending-telemetry-to-an-opentelemetry-collector).</summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = OtlpExport.IsConfigured(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(OtlpExport.Resource)
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
            telemetry.WithTracing(Traces).WithLogging().UseOtlpExporter();
            ShowTraceIdsInLogs(builder.Logging);
        }

        return builder;
    }

    /// <summary>Spans of Meridian's runs and connections, of HTTP requests (probes left out), of outgoing HTTP
    /// calls (language-model providers) and of PostgreSQL commands (docs/operations.md#7-traces).</summary>
    private static void Traces(TracerProviderBuilder tracing) =>
        tracing.AddSource(MeridianTelemetry.SourceName)
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !RouteKinds.IsProbe(context.Request.Path))
            .AddHttpClientInstrumentation()
            .AddNpgsql();

    /// <summary>Console lines written inside a span name its trace and span ids (<see cref="TraceConsoleFormatter"/>),
    /// so that a line leads to its trace; the OTLP log export carries them as well.</summary>
    private static void ShowTraceIdsInLogs(ILoggingBuilder logging) =>
        logging.AddConsole(o => o.FormatterName = TraceConsoleFormatter.FormatterName)
            .AddConsoleFormatter<TraceConsoleFormatter, ConsoleFormatterOptions>();

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
