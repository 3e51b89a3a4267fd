namespace Meridian.Server.Agents;

/// <summary>What the agents do (<c>GET /api/agents</c>).</summary>
public sealed record AgentList(IEnumerable<AgentInfo> Agents);
