using OpenTelemetry.Resources;

namespace Meridian.Server.Telemetry;

/// <summary>The standard OpenTelemetry environment variables (docs/operations.md#8-sending-telemetry-to-an-opentelemetry-collector), read from
/// configuration so that command-line arguments and test settings can give them too.</summary>
internal static class OtlpExport
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Resource defaults (<c>meridian</c>, the server's version, a random instance id), then what
    /// <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> say, which wins.</summary>
    public static void Resource(ResourceBuilder resource) =>
        resource.AddService("meridian", serviceVersion: typeof(OtlpExport).Assembly.GetName().Version?.ToString())
            .AddEnvironmentVariableDetector();

    /// <summary>OTLP export is on when an endpoint is given; the SDK reads the rest (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
    /// <c>_HEADERS</c>, the per-signal endpoints) itself. Without one, nothing is sent anywhere and no tracer listens.</summary>
    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointKey]);
}
