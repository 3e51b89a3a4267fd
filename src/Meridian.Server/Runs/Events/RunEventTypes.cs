namespace Meridian.Server.Runs;

public static class RunEventTypes
{
    public const string AgentStarted = "agent_started";
    public const string SubagentStarted = "subagent_started";
    public const string AgentThinking = "agent_thinking";
    public const string ToolExecuting = "tool_executing";
    public const string ToolCompleted = "tool_completed";
    public const string SubagentCompleted = "subagent_completed";
    public const string AgentResponseDelta = "agent_response_delta";
    public const string AgentCompleted = "agent_completed";
    public const string AgentFailed = "agent_failed";
    public const string AgentStopped = "agent_stopped";

    public static bool IsTerminal(string type) => type is AgentCompleted or AgentFailed or AgentStopped;
}
