using Microsoft.Extensions.Options;

namespace Meridian.Server.Ingest;

public static class IngestExtensions
{
    /// <summary>Section <c>Ingest</c>, ingest keys and the OTLP receiver (docs/ingest.md).</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        services.AddSingleton<IngestKeyStore>();
        services.AddSingleton<IngestGate>();
        return services;
    }

    public static WebApplication MapIngest(this WebApplication app) => app.MapIngestKeys().MapOtlp();
}
