namespace Meridian.Server.Agents.Triage;

/// <summary>Classifies a request by weighted cue words. A clear signal of a narrower question (latency, capacity,
/// caching, model choice) beats the generic cost words most requests contain, so ties go to the narrower one.</summary>
public static class RequestClassifier
{
    public const string Cost = "cost";
    public const string Latency = "latency";
    public const string Capacity = "capacity";
    public const string ModelSelection = "model_selection";
    public const string Caching = "caching";
    public const string General = "general";

    private static readonly (string Category, string[] Cues)[] Cues =
    [
        (Caching, ["cache", "caching", "cached", "same prompt", "same system prompt", "repeated prompt", "resend", "re-send", "duplicate prompt"]),
        (Latency, ["latency", "slow", "faster", "p95", "p99", "p50", "response time", "time to first token", "ttft", "timeout", "speed up"]),
        (Capacity, ["traffic", "growth", "grow", "scale", "triple", "double", "next quarter", "capacity", "rate limit", "peak", "launch", "more users", "spike"]),
        (ModelSelection, ["cheaper model", "which model", "switch model", "switch to", "downgrade", "smaller model", "model choice", "move to a cheaper", "right model", "open-weight", "open source model"]),
        (Cost, ["cost", "spend", "bill", "budget", "expensive", "save", "saving", "cheaper", "cut", "halve", "reduce", "price", "$", "€", "£"]),
    ];

    public static string Classify(string text, Entities entities)
    {
        var lower = text.ToLowerInvariant();
        var scores = Cues.Select(c => (c.Category, Score: c.Cues.Count(lower.Contains))).ToDictionary(s => s.Category, s => (double)s.Score);
        scores[Latency] += (entities.Latencies.Count > 0 ? 2 : 0) + (entities.TargetLatency is not null ? 2 : 0);
        scores[Capacity] += entities.GrowthMultiplier is > 1 ? 2 : 0;
        scores[Cost] += entities.Amounts.Count > 0 ? 1 : 0;
        var best = scores.Where(s => s.Value > 0).OrderByDescending(s => s.Value).ThenBy(s => Array.FindIndex(Cues, c => c.Category == s.Key)).FirstOrDefault();
        return best.Key ?? General;
    }

    /// <summary>High when much money or a stated target is at stake, low for open questions.</summary>
    public static string Priority(string category, Entities entities)
    {
        if (entities.MonthlySpend >= 10_000m || entities.TargetLatency is not null || entities.GrowthMultiplier >= 2)
        {
            return "high";
        }

        return category == General && entities.MonthlySpend is null ? "low" : "medium";
    }
}
