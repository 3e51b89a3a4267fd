namespace Meridian.Server.Agents;

/// <summary>One line of <see cref="AgentCatalog"/>: what clients are told about an agent, and the class that does the
/// work (created once by dependency injection, so it may ask for services in its constructor).</summary>
public sealed record AgentRegistration(AgentInfo Info, Type AgentType)
{
    public static AgentRegistration Of<TAgent>(string name, string description, params string[] aliases)
        where TAgent : class, IAgent => new(new AgentInfo(name, description, aliases), typeof(TAgent));
}
