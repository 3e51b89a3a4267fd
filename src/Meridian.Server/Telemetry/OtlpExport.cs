namespace Meridian.Server.Telemetry;

/// <summary>The standard OpenTelemetry environment variables (docs/operations.md#6-logs-and-metrics), read from
/// configuration so that command-line arguments and test settings can give them too.</summary>
internal static class OtlpExport
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string ServiceNameKey = "OTEL_SERVICE_NAME";

    public static string? ServiceVersion { get; } = typeof(OtlpExport).Assembly.GetName().Version?.ToString();

    /// <summary>OTLP export is on when an endpoint is given; the SDK reads the rest (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
    /// <c>_HEADERS</c>, the per-signal endpoints) itself. Without one, nothing is sent anywhere and no tracer listens.</summary>
    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointKey]);

    public static string ServiceName(IConfiguration configuration) =>
        configuration[ServiceNameKey] is { Length: > 0 } name ? name : "meridian";
}
