using System.Text.Json;
using Meridian.Server.Runs;

namespace Meridian.Tests.Runs;

/// <summary>The per-run guarantees of docs/runs.md#2-events, checked on a list of event envelopes.</summary>
public static class RunInvariants
{
    /// <summary>Returns every violation found in a run's complete event list (empty when it is sound).</summary>
    public static List<string> Violations(IReadOnlyList<JsonElement> events)
    {
        var problems = new List<string>();
        if (events.Count == 0)
        {
            return ["no events"];
        }

        for (var i = 0; i < events.Count; i++)
        {
            var seq = events[i].GetProperty("seq").GetInt64();
            if (seq != i + 1)
            {
                problems.Add($"event {i} has seq {seq}, expected {i + 1}");
            }

            foreach (var field in new[] { "type", "timestamp", "run_id", "thread_id", "agent_name" })
            {
                if (!events[i].TryGetProperty(field, out _))
                {
                    problems.Add($"seq {seq} lacks {field}");
                }
            }
        }

        var types = events.Select(e => e.GetProperty("type").GetString()!).ToList();
        if (types[0] != RunEventTypes.AgentStarted)
        {
            problems.Add($"first event is {types[0]}");
        }

        if (types.Count(t => t == RunEventTypes.AgentStarted) != 1)
        {
            problems.Add("agent_started is not unique");
        }

        var terminals = types.Count(RunEventTypes.IsTerminal);
        if (terminals != 1 || !RunEventTypes.IsTerminal(types[^1]))
        {
            problems.Add($"{terminals} terminal events; last is {types[^1]}");
        }

        var openTools = new HashSet<string>();
        var openStages = new Dictionary<string, int>();
        foreach (var e in events)
        {
            var type = e.GetProperty("type").GetString();
            var agent = e.GetProperty("agent_name").GetString()!;
            switch (type)
            {
                case RunEventTypes.ToolExecuting when !openTools.Add(e.GetProperty("call_id").GetString()!):
                    problems.Add("call_id reused");
                    break;
                case RunEventTypes.ToolCompleted when !openTools.Remove(e.GetProperty("call_id").GetString()!):
                    problems.Add("tool_completed without tool_executing");
                    break;
                case RunEventTypes.SubagentStarted:
                    openStages[agent] = openStages.GetValueOrDefault(agent) + 1;
                    break;
                case RunEventTypes.SubagentCompleted when openStages.GetValueOrDefault(agent) == 0:
                    problems.Add($"subagent_completed for {agent} without start");
                    break;
                case RunEventTypes.SubagentCompleted:
                    openStages[agent]--;
                    break;
            }
        }

        if (openTools.Count > 0)
        {
            problems.Add($"tool calls never completed: {string.Join(", ", openTools)}");
        }

        if (openStages.Values.Any(v => v != 0))
        {
            problems.Add("a stage was never completed");
        }

        return problems;
    }

    public static JsonElement Parse(byte[] json) => JsonDocument.Parse(json).RootElement.Clone();

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
