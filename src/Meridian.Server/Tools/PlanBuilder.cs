namespace Meridian.Server.Tools;

/// <summary><c>plan_builder</c>: an ordered implementation plan. Cheap, low-risk steps go first (they pay for the
/// rest and need no quality review), each with what to change, how to check it and how to undo it.</summary>
public static class PlanBuilder
{
    public const string Name = "plan_builder";

    private static readonly Dictionary<string, (string Owner, string Effort, string[] Changes, string Validation)> Templates = new()
    {
        ["caching"] = ("backend engineer", "1-2 days", ["put the static system prompt and tool definitions first in every request", "enable the provider's prompt caching on those prefixes"], "cached-token share in the provider's usage report; cost per call drops on the next day's bill"),
        ["output_cap"] = ("backend engineer", "half a day", ["set max_tokens per feature from the observed p95 output length", "add a brevity instruction to the system prompt"], "truncation rate below 1% and unchanged user ratings for a week"),
        ["prompt_trimming"] = ("prompt owner", "2-3 days", ["remove duplicated instructions and unused context from the prompts", "version the prompts so the change can be compared"], "offline evaluation set scores within 1 point of the old prompt"),
        ["batch"] = ("data engineer", "2-4 days", ["move the offline jobs to the provider's batch endpoint", "collect results asynchronously"], "job completion within the agreed window; cost per job on the bill"),
        ["model_routing"] = ("ML engineer", "1-2 weeks", ["add a router that sends low-risk requests to the cheaper model", "start with 10% of eligible traffic behind a flag, then raise it"], "A/B comparison of quality ratings and escalation rate on routed traffic"),
        ["latency"] = ("frontend and backend engineers", "3-5 days", ["stream tokens to the client", "issue independent calls concurrently", "send latency-critical calls to the faster model"], "p95 and time to first token on the latency dashboard"),
        ["capacity"] = ("platform engineer", "1 week", ["request higher rate limits ahead of the launch", "configure a second model as failover"], "load test at the projected peak; 429 rate below 0.1%"),
    };

    private static readonly string[] Order = ["caching", "output_cap", "prompt_trimming", "batch", "model_routing", "latency", "capacity"];

    public static ToolResult<PlanData> Run(IReadOnlyList<Strategy> strategies)
    {
        var planned = strategies.Where(s => Templates.ContainsKey(s.Type)).ToList();
        var steps = planned
            .OrderBy(s => Array.IndexOf(Order, s.Type)).ThenByDescending(s => s.SavingsPct)
            .Select((s, i) =>
            {
                var t = Templates[s.Type];
                return new PlanStep(i + 1, s.Id, s.Name, t.Owner, t.Effort, t.Changes, t.Validation, s.Rollback);
            }).ToList();
        // The planned strategies' savings compound, as savings_estimate combines them: each saves its share of what
        // the ones before it left.
        decimal savings = 0, left = 1;
        foreach (var s in planned.OrderByDescending(s => s.SavingsPct))
        {
            savings += s.MonthlySavingsUsd * left;
            left *= (decimal)(1 - s.SavingsPct);
        }

        return new(
            steps.Count == 0
                ? "No strategy to plan."
                : $"{steps.Count} steps, cheapest and safest first: " + string.Join("; ", steps.Select(s => $"{s.Order}) {s.Action} ({s.OwnerRole}, {s.Effort})")) + ".",
            new PlanData(steps, Figures.Round(savings)));
    }
}
