using System.Text.Json;

namespace Meridian.Server.Runs;

/// <summary>What a run has opened and not yet closed: its stages (innermost last) and tool calls, plus the step count
/// that <c>agent_thinking</c> reports and the counter call ids come from. The terminal event closes whatever is
/// still here, so every start has its completion (docs/runs.md#2-events). Used under the emitter's gate.</summary>
internal sealed class OpenScopes
{
    private readonly List<OpenStage> _stages = [];
    private readonly Dictionary<string, OpenTool> _tools = new(StringComparer.Ordinal);
    private int _calls;

    /// <summary>Stages started so far (closed ones included): the <c>step</c> of <c>agent_thinking</c>.</summary>
    public int Step { get; private set; }

    /// <summary>The agent of the innermost open stage, or null between stages.</summary>
    public string? InnermostAgent => _stages.Count > 0 ? _stages[^1].Agent : null;

    /// <summary>Call ids are numbered per run; taken before the gate, so atomically.</summary>
    public string NextCallId() => $"call_{Interlocked.Increment(ref _calls)}";

    public void Open(OpenStage stage)
    {
        _stages.Add(stage);
        Step++;
    }

    public void Open(OpenTool tool) => _tools[tool.CallId] = tool;

    public bool IsOpen(OpenStage stage) => _stages.Contains(stage);

    public bool IsOpen(OpenTool tool) => _tools.ContainsKey(tool.CallId);

    public void Close(OpenStage stage) => _stages.Remove(stage);

    public void Close(OpenTool tool) => _tools.Remove(tool.CallId);

    /// <summary>Open tool calls in the order they started, then open stages innermost first: the order the terminal
    /// event closes them in (only at the end of a run, so the copies cost nothing per event).</summary>
    public List<OpenTool> ToolsOldestFirst() => _tools.Values.OrderBy(t => t.Started).ToList();

    public List<OpenStage> StagesInnermostFirst() => Enumerable.Reverse(_stages).ToList();

    /// <summary>Rebuilds what is open from a run's stored events (recovery after a crash); returns whether one of them
    /// is terminal.</summary>
    public bool Replay(IReadOnlyList<StoredRunEvent> stored, string runAgent, TimeProvider clock)
    {
        var terminal = false;
        foreach (var row in stored)
        {
            using var document = JsonDocument.Parse(row.Payload);
            var e = document.RootElement;
            var agent = e.TryGetProperty("agent_name", out var a) ? a.GetString() ?? runAgent : runAgent;
            switch (row.Type)
            {
                case RunEventTypes.ToolExecuting:
                    var callId = e.GetProperty("call_id").GetString()!;
                    _tools[callId] = new OpenTool(agent, e.GetProperty("tool_name").GetString()!, callId, clock.GetTimestamp());
                    _calls++;
                    break;
                case RunEventTypes.ToolCompleted:
                    _tools.Remove(e.GetProperty("call_id").GetString()!);
                    break;
                case RunEventTypes.SubagentStarted:
                    Open(new OpenStage(agent, clock.GetTimestamp()));
                    break;
                case RunEventTypes.SubagentCompleted:
                    _stages.RemoveAt(_stages.FindLastIndex(s => s.Agent == agent));
                    break;
                case var type when RunEventTypes.IsTerminal(type):
                    terminal = true;
                    break;
            }
        }

        return terminal;
    }
}
