using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Pricing;

public static class PricingExtensions
{
    /// <summary>The price catalog in use (<see cref="CurrentPrices"/>) and, with <c>Pricing:Source</c>, the refresher
    /// that keeps it current. An unreadable or invalid catalog, or a bad override, stops the start with a message
    /// naming the setting. Safe to call more than once.</summary>
    public static IServiceCollection AddPricing(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(CurrentPrices)))
        {
            return services;
        }

        services.AddOptions<PricingOptions>().BindConfiguration(PricingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PricingOptions>, PricingOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CurrentPrices>();

        // Resolved per use: whoever asks for a PriceCatalog gets the snapshot in use at that moment. Long-lived
        // services take CurrentPrices instead and read its Catalog per operation.
        services.AddTransient(sp => sp.GetRequiredService<CurrentPrices>().Catalog);
        services.AddHttpClient(PriceListReader.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<PriceListReader>();
        services.AddHostedService<PriceRefresher>();
        return services;
    }
}
