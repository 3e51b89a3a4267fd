using Meridian.Server.Pricing;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Workloads;

public static class WorkloadsExtensions
{
    public static IServiceCollection AddWorkloads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPricing(configuration);
        services.AddOptions<WorkloadOptions>().BindConfiguration(WorkloadOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkloadOptions>, WorkloadOptionsValidator>();
        services.AddSingleton<UsageStore>();
        services.AddSingleton<UsageImporter>();
        return services;
    }
}
