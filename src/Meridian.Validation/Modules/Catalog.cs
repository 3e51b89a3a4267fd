using Meridian.Validation.Checks;

namespace Meridian.Validation.Modules;

/// <summary>The ten modules, in the order they run: connectivity first, then messages and runs, then the
/// properties that need runs to look at.</summary>
public static class Catalog
{
    public static IReadOnlyList<ValidationModule> All { get; } =
    [
        WebSocketEvents.Module,
        MessageFlow.Module,
        AgentPipeline.Module,
        AgentOrchestration.Module,
        ResponseStreaming.Module,
        FailureRecovery.Module,
        StartupResilience.Module,
        LifecycleEvents.Module,
        Coordination.Module,
        CriticalPath.Module,
    ];

    public static ValidationModule? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
