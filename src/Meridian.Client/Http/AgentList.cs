namespace Meridian.Client.Http;

public sealed record AgentList(IReadOnlyList<AgentInfo> Agents);
