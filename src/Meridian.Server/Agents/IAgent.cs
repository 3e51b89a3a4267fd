namespace Meridian.Server.Agents;

/// <summary>One stage of the pipeline (docs/agents.md#2-the-agents). An agent is a class implementing this, registered
/// once in <see cref="AgentCatalog"/> with its name, description and aliases (docs/agents.md#7-adding-an-agent); the
/// pipeline runs it when triage's plan names it, between <c>subagent_started</c> and <c>subagent_completed</c>.
/// Agents are singletons: everything of one run is in the <see cref="AgentContext"/>.</summary>
public interface IAgent
{
    /// <summary>What <c>subagent_started</c> says while the agent works.</summary>
    string Activity { get; }

    /// <summary>Does the agent's work: reads what earlier stages left in <see cref="AgentContext.Analysis"/>, adds its
    /// own part, and returns the one-line summary <c>subagent_completed</c> shows. Throwing (or running past the
    /// stage timeout) fails the stage, not the run.</summary>
    Task<string> RunAsync(AgentContext context, CancellationToken cancellationToken);

    /// <summary>What a failed stage leaves behind, after its <c>subagent_completed</c> with status <c>failed</c>: by
    /// default its name in the report's list of failed stages (the run goes on with what the others found).</summary>
    Task OnFailedAsync(AgentContext context, string error, CancellationToken cancellationToken)
    {
        context.Analysis.FailedStages.Add(context.Agent);
        return Task.CompletedTask;
    }
}
