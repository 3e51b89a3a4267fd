using Microsoft.Extensions.Options;

namespace Meridian.Server.Llm;

public static class LlmExtensions
{
    /// <summary>Section <c>Llm</c> and <see cref="LanguageModel"/>. Provider calls go through a named
    /// <see cref="HttpClient"/> without a timeout of its own: <see cref="LanguageModel"/> times each attempt.</summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        services.AddHttpClient(LanguageModel.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<LlmMetrics>();
        services.AddSingleton<LanguageModel>();
        return services;
    }
}
