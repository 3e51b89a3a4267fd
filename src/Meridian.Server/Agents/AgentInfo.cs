namespace Meridian.Server.Agents;

/// <summary>An agent as clients see it (GET /api/agents): the name to ask for, what it does, and older names.</summary>
public sealed record AgentInfo(string Name, string Description, IReadOnlyList<string> Aliases);
