using System.Text.Json;

namespace Meridian.Client.Events;

/// <summary>Turns a received JSON object into its typed frame. Never throws on a well-formed JSON object: what a
/// frame lacks shows as null fields.</summary>
public static class FrameParser
{
    public static ServerFrame Parse(JsonElement raw, DateTimeOffset received)
    {
        if (WelcomeFrame.Is(raw))
        {
            return new WelcomeFrame(raw, received);
        }

        return raw.Text("type") switch
        {
            "run_accepted" => new RunAcceptedFrame(raw, received),
            "error" => new ErrorFrame(raw, received),
            "server_shutdown" => new ServerShutdownFrame(raw, received),
            RunEvent.Started => new AgentStarted(raw, received),
            "subagent_started" => new SubagentStarted(raw, received),
            "agent_thinking" => new AgentThinking(raw, received),
            "tool_executing" => new ToolExecuting(raw, received),
            "tool_completed" => new ToolCompleted(raw, received),
            "subagent_completed" => new SubagentCompleted(raw, received),
            "agent_response_delta" => new AgentResponseDelta(raw, received),
            RunEvent.Completed => new AgentCompleted(raw, received),
            RunEvent.Failed => new AgentFailed(raw, received),
            RunEvent.Stopped => new AgentStopped(raw, received),
            _ when RunEvent.Is(raw) => new RunEvent(raw, received),
            _ => new ServerFrame(raw, received),
        };
    }

    /// <summary>Parses run events stored or streamed over REST (the same JSON as on the socket).</summary>
    public static RunEvent ParseEvent(JsonElement raw, DateTimeOffset received) =>
        Parse(raw, received) as RunEvent ?? new RunEvent(raw, received);
}
