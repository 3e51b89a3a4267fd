namespace Meridian.Server.Agents;

/// <summary>A run started over HTTP that has not ended yet (202, or <c>?wait=false</c>): follow it at
/// <c>/api/runs/{run_id}</c>.</summary>
public sealed record AgentRunAccepted(string RunId, string ThreadId, string Status);
