using Meridian.Server.Runs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Server.Agents;

public static class AgentsExtensions
{
    /// <summary>The agents and their pipeline, as what every run executes (an embedding host may register its own
    /// <see cref="IRunPipeline"/> first).</summary>
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddSingleton<DataAgent>();
        services.AddSingleton<OptimizationAgent>();
        services.AddSingleton<ReportingAgent>();
        services.TryAddSingleton<IRunPipeline, AnalysisPipeline>();
        return services;
    }
}
