using Meridian.Server.Runs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Server.Agents;

public static class AgentsExtensions
{
    /// <summary>The agents of <see cref="AgentCatalog.Registered"/> and their pipeline, as what every run executes (an
    /// embedding host may register its own <see cref="IRunPipeline"/> first).</summary>
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        foreach (var registration in AgentCatalog.Registered)
        {
            services.AddSingleton(registration.AgentType);
        }

        services.TryAddSingleton<IRunPipeline, AnalysisPipeline>();
        return services;
    }
}
