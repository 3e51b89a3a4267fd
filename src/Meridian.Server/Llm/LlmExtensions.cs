using Microsoft.Extensions.Options;

namespace Meridian.Server.Llm;

public static class LlmExtensions
{
    /// <summary>Section <c>Llm</c> and <see cref="LanguageModel"/>. The providers' SDKs send through a named
    /// <see cref="HttpClient"/> without a timeout of its own: its handlers add the configured headers, retry and time
    /// each attempt (<see cref="ProviderResilience"/>) and account for every attempt (<see cref="ProviderAttemptHandler"/>).</summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        services.AddTransient<ConfiguredHeadersHandler>();
        services.AddTransient<ProviderAttemptHandler>();
        // Handlers run in the order added: the headers once, then the pipeline, then each attempt.
        var client = services.AddHttpClient(LanguageModel.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<ConfiguredHeadersHandler>();
        client.AddResilienceHandler(ProviderResilience.PipelineName, (builder, context) => ProviderResilience.Configure(builder, context.ServiceProvider));
        client.AddHttpMessageHandler<ProviderAttemptHandler>();
        services.AddSingleton<LlmMetrics>();
        services.AddSingleton<LanguageModel>();
        return services;
    }
}
