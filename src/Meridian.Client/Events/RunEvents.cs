using System.Text.Json;

namespace Meridian.Client.Events;

/// <summary>A run event (docs/runs.md#2-events): the flat envelope every event shares. The typed subclasses add the
/// type-specific fields; an event type this client does not know arrives as a plain <see cref="RunEvent"/>.</summary>
public class RunEvent(JsonElement raw, DateTimeOffset received) : ServerFrame(raw, received)
{
    public const string Started = "agent_started";
    public const string Completed = "agent_completed";
    public const string Failed = "agent_failed";
    public const string Stopped = "agent_stopped";

    /// <summary>The event types that end a run; exactly one of them is a run's last event.</summary>
    public static readonly IReadOnlySet<string> TerminalTypes = new HashSet<string>(StringComparer.Ordinal) { Completed, Failed, Stopped };

    /// <summary>Every event type of the contract.</summary>
    public static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        Started, "subagent_started", "agent_thinking", "tool_executing", "tool_completed", "subagent_completed",
        "agent_response_delta", Completed, Failed, Stopped,
    };

    public string? RunId => Raw.Text("run_id");

    public string? ThreadId => Raw.Text("thread_id");

    /// <summary>The event's position in its run (1, 2, …), or null when the frame has none.</summary>
    public long? Seq => Raw.Number("seq");

    public string? AgentName => Raw.Text("agent_name");

    public bool IsTerminal => TerminalTypes.Contains(Type);

    /// <summary>Whether a frame is a run event: it has a known event type, or any type with <c>run_id</c> and <c>seq</c>.</summary>
    public static bool Is(JsonElement raw) =>
        KnownTypes.Contains(raw.Text("type") ?? "") || (raw.Text("run_id") is not null && raw.Number("seq") is not null);
}

public sealed class AgentStarted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Message => Raw.Text("message");

    /// <summary>The planned stages, in order.</summary>
    public IReadOnlyList<string> Agents => Raw.Strings("agents");
}

public sealed class SubagentStarted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Message => Raw.Text("message");
}

public sealed class AgentThinking(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Reasoning => Raw.Text("reasoning");

    public long? Step => Raw.Number("step");

    public long? TotalSteps => Raw.Number("total_steps");
}

public sealed class ToolExecuting(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? ToolName => Raw.Text("tool_name");

    public string? CallId => Raw.Text("call_id");

    public JsonElement? Parameters => Raw.Field("parameters");
}

public sealed class ToolCompleted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? ToolName => Raw.Text("tool_name");

    public string? CallId => Raw.Text("call_id");

    /// <summary><c>success</c> or <c>error</c>.</summary>
    public string? Status => Raw.Text("status");

    public string? Result => Raw.Text("result");

    public JsonElement? Data => Raw.Field("data");

    public long? DurationMs => Raw.Number("duration_ms");
}

public sealed class SubagentCompleted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    /// <summary><c>completed</c>, <c>failed</c> or <c>skipped</c>.</summary>
    public string? Status => Raw.Text("status");

    public string? Summary => Raw.Text("summary");

    public long? DurationMs => Raw.Number("duration_ms");
}

public sealed class AgentResponseDelta(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Delta => Raw.Text("delta");
}

public sealed class AgentCompleted(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    /// <summary>The final answer (Markdown).</summary>
    public string? Response => Raw.Text("response");

    public JsonElement? Result => Raw.Field("result");

    public JsonElement? Usage => Raw.Field("usage");

    public long? DurationMs => Raw.Number("duration_ms");
}

public sealed class AgentFailed(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? ErrorCode => Raw.Text("error_code");

    public string? Message => Raw.Text("message");

    public bool? Recoverable => Raw.Flag("recoverable");
}

public sealed class AgentStopped(JsonElement raw, DateTimeOffset received) : RunEvent(raw, received)
{
    public string? Reason => Raw.Text("reason");
}
