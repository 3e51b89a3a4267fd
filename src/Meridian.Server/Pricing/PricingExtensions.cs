using Microsoft.Extensions.Options;

namespace Meridian.Server.Pricing;

public static class PricingExtensions
{
    /// <summary>The price catalog as a singleton, read once at start. An unreadable or invalid catalog, or a bad
    /// override, stops the start with a message naming the setting. Safe to call more than once.</summary>
    public static IServiceCollection AddPricing(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(PriceCatalog)))
        {
            return services;
        }

        services.AddOptions<PricingOptions>().BindConfiguration(PricingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PricingOptions>, PricingOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var (catalog, errors) = PriceCatalogLoader.Load(sp.GetRequiredService<IOptions<PricingOptions>>().Value);
            return catalog ?? throw new OptionsValidationException(PricingOptions.Section, typeof(PricingOptions), errors);
        });
        return services;
    }
}
