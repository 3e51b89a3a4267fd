using System.Text.RegularExpressions;
using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Validation.Checks;

namespace Meridian.Validation.Contract;

/// <summary>The per-run guarantees of docs/runs.md#2-events, checked over the events of one run as a client received them:
/// envelope and type-specific fields, seq from 1 without gaps or duplicates, one <c>agent_started</c> first and one
/// terminal event last, every tool call and stage closed before the end.</summary>
public static partial class RunContract
{
    private static readonly HashSet<string> ToolStatuses = ["success", "error"];
    private static readonly HashSet<string> StageStatuses = ["completed", "failed", "skipped"];

    public static IReadOnlyList<Violation> Verify(IReadOnlyList<RunEvent> events, string runId, string? threadId = null)
    {
        var violations = new List<Violation>();
        if (events.Count == 0)
        {
            violations.Add(new(DiagnosisKind.OrderViolation, $"no events for {runId}"));
            return violations;
        }

        Envelope(events, runId, threadId, violations);
        Seq(events, violations);
        Order(events, violations);
        Pairing(events, violations);
        return violations;
    }

    /// <summary>The longest gap between consecutive events, by the server's timestamps (null when unreadable).</summary>
    public static (TimeSpan Gap, RunEvent? After)? LongestSilence(IReadOnlyList<RunEvent> events)
    {
        (TimeSpan, RunEvent?)? longest = null;
        for (var i = 1; i < events.Count; i++)
        {
            if (!TryTime(events[i - 1].Timestamp, out var a) || !TryTime(events[i].Timestamp, out var b))
            {
                return null;
            }

            if (longest is null || b - a > longest.Value.Item1)
            {
                longest = (b - a, events[i - 1]);
            }
        }

        return longest ?? (TimeSpan.Zero, null);
    }

    public static bool IsTimestamp(string? text) => text is not null && TimestampFormat().IsMatch(text);

    private static bool TryTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out time);

    private static void Envelope(IReadOnlyList<RunEvent> events, string runId, string? threadId, List<Violation> violations)
    {
        foreach (var e in events)
        {
            var at = $"seq {e.Seq?.ToString() ?? "?"} ({e.Type})";
            if (!RunEvent.KnownTypes.Contains(e.Type))
            {
                violations.Add(new(DiagnosisKind.ContractViolation, $"{at}: unknown event type '{e.Type}'"));
            }

            if (e.RunId != runId)
            {
                violations.Add(new(DiagnosisKind.ContractViolation, $"{at}: run_id '{e.RunId}' where '{runId}' was expected"));
            }

            if (threadId is not null && e.ThreadId != threadId)
            {
                violations.Add(new(DiagnosisKind.ContractViolation, $"{at}: thread_id '{e.ThreadId}' where '{threadId}' was expected"));
            }

            if (!IsTimestamp(e.Timestamp))
            {
                violations.Add(new(DiagnosisKind.ContractViolation, $"{at}: timestamp '{e.Timestamp}' is not ISO-8601 UTC with milliseconds"));
            }

            if (MissingField(e) is { } missing)
            {
                violations.Add(new(DiagnosisKind.ContractViolation, $"{at}: {missing}"));
            }
        }
    }

    private static string? MissingField(RunEvent e) => e switch
    {
        AgentStarted s when s.Raw.Field("agents") is not { ValueKind: System.Text.Json.JsonValueKind.Array } => "agents is not an array",
        ToolExecuting t when t.ToolName is null || t.CallId is null => "tool_name and call_id are required",
        ToolCompleted t when t.CallId is null || !ToolStatuses.Contains(t.Status ?? "") => $"call_id and a status of success|error are required (status '{t.Status}')",
        SubagentStarted s when s.AgentName is null => "agent_name is required",
        SubagentCompleted s when s.AgentName is null || !StageStatuses.Contains(s.Status ?? "") => $"agent_name and a status of completed|failed|skipped are required (status '{s.Status}')",
        AgentResponseDelta d when d.Delta is null => "delta is required",
        AgentCompleted c when c.Response is null => "response is required",
        AgentFailed f when f.ErrorCode is null => "error_code is required",
        _ => null,
    };

    private static void Seq(IReadOnlyList<RunEvent> events, List<Violation> violations)
    {
        long expected = 1;
        var seen = new HashSet<long>();
        foreach (var e in events)
        {
            if (e.Seq is not { } seq)
            {
                violations.Add(new(DiagnosisKind.SeqViolation, $"{e.Type} has no seq"));
                continue;
            }

            if (!seen.Add(seq))
            {
                violations.Add(new(DiagnosisKind.SeqViolation, $"seq {seq} delivered twice ({e.Type})"));
                continue;
            }

            if (seq != expected)
            {
                violations.Add(new(DiagnosisKind.SeqViolation, seq > expected
                    ? $"seq {seq} ({e.Type}) where {expected} was expected: {seq - expected} event(s) missing"
                    : $"seq {seq} ({e.Type}) after seq {expected - 1}: out of order"));
            }

            expected = Math.Max(expected, seq + 1);
        }
    }

    private static void Order(IReadOnlyList<RunEvent> events, List<Violation> violations)
    {
        if (events[0].Type != RunEvent.Started)
        {
            violations.Add(new(DiagnosisKind.OrderViolation, $"the first event is {events[0].Type} (seq {events[0].Seq}), not agent_started"));
        }

        var started = events.Count(e => e.Type == RunEvent.Started);
        if (started != 1)
        {
            violations.Add(new(DiagnosisKind.OrderViolation, $"{started} agent_started events; exactly one is allowed"));
        }

        var terminals = events.Select((e, i) => (e, i)).Where(x => x.e.IsTerminal).ToList();
        if (terminals.Count == 0)
        {
            violations.Add(new(DiagnosisKind.OrderViolation, $"no terminal event (agent_completed, agent_failed or agent_stopped); last was {events[^1].Type} (seq {events[^1].Seq})"));
        }
        else if (terminals.Count > 1)
        {
            violations.Add(new(DiagnosisKind.OrderViolation, $"{terminals.Count} terminal events: {string.Join(", ", terminals.Select(t => $"{t.e.Type} (seq {t.e.Seq})"))}"));
        }
        else if (terminals[0].i != events.Count - 1)
        {
            var after = events.Skip(terminals[0].i + 1).Select(e => $"{e.Type} (seq {e.Seq})");
            violations.Add(new(DiagnosisKind.OrderViolation, $"events after the terminal {terminals[0].e.Type}: {string.Join(", ", after)}"));
        }
    }

    private static void Pairing(IReadOnlyList<RunEvent> events, List<Violation> violations)
    {
        var openTools = new Dictionary<string, ToolExecuting>(StringComparer.Ordinal);
        var closedTools = new HashSet<string>(StringComparer.Ordinal);
        var openStages = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            switch (e)
            {
                case ToolExecuting { CallId: { } id } t:
                    if (openTools.ContainsKey(id) || closedTools.Contains(id))
                    {
                        violations.Add(new(DiagnosisKind.PairingViolation, $"call_id {id} started twice (seq {t.Seq})"));
                    }

                    openTools[id] = t;
                    break;
                case ToolCompleted { CallId: { } id } t:
                    if (!openTools.Remove(id))
                    {
                        violations.Add(new(DiagnosisKind.PairingViolation, $"tool_completed {t.ToolName} call_id {id} (seq {t.Seq}) without a tool_executing before it"));
                    }

                    closedTools.Add(id);
                    break;
                case SubagentStarted { AgentName: { } stage }:
                    openStages[stage] = openStages.GetValueOrDefault(stage) + 1;
                    break;
                case SubagentCompleted { AgentName: { } stage } s:
                    if (openStages.GetValueOrDefault(stage) == 0)
                    {
                        violations.Add(new(DiagnosisKind.PairingViolation, $"subagent_completed {stage} (seq {s.Seq}) without a subagent_started before it"));
                    }
                    else
                    {
                        openStages[stage]--;
                    }

                    break;
            }
        }

        foreach (var (id, t) in openTools)
        {
            violations.Add(new(DiagnosisKind.PairingViolation, $"tool_executing {t.ToolName} call_id {id} (seq {t.Seq}) never completed"));
        }

        foreach (var (stage, open) in openStages.Where(s => s.Value > 0))
        {
            violations.Add(new(DiagnosisKind.PairingViolation, $"subagent_started {stage} never completed ({open} open)"));
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex TimestampFormat();
}
