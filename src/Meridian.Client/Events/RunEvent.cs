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
