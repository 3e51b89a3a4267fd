using Meridian.Server.Agents.Triage;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;

namespace Meridian.Server.Agents;

/// <summary>The data stage's output (AGENTS.md): what was measured (or estimated) and what had to be assumed.</summary>
public sealed record DataFindings(
    bool Measured,
    UsageOverview? Usage,
    CostBreakdownData? Costs,
    LatencyProfileData? Latency,
    CacheOpportunityData? Cache,
    Baseline Baseline,
    IReadOnlyList<string> Findings)
{
    public IReadOnlyList<string> Assumptions => Baseline.Assumptions;
}

/// <summary>One thing the user should send, why it matters and how to export it.</summary>
public sealed record DataRequest(string Item, string Why, string How);

public sealed record OptimizationFindings(SavingsData Savings, GrowthData? Growth, PriceLookupData Prices, IReadOnlyList<string> Findings)
{
    public IReadOnlyList<Strategy> Strategies => Savings.Strategies;
}

/// <summary>Everything one run has learned so far; each stage reads what the earlier ones left and adds its part.
/// Created per run and never shared.</summary>
public sealed class Analysis(string request, TriageResult triage, IReadOnlyList<UsageRecord> records)
{
    public string Request { get; } = request;

    public TriageResult Triage { get; set; } = triage;

    public IReadOnlyList<UsageRecord> Records { get; } = records;

    public DataFindings? Data { get; set; }

    public IReadOnlyList<DataRequest>? DataRequests { get; set; }

    public OptimizationFindings? Optimization { get; set; }

    public PlanData? Actions { get; set; }

    public List<string> FailedStages { get; } = [];

    public Goals Goals => GoalsOf(Triage);

    public static Goals GoalsOf(TriageResult triage)
    {
        var e = triage.Entities;
        var horizon = e.TimeRanges.FirstOrDefault(r => r.IsFuture) is { } future ? Math.Max(1, future.Days / 30) : 3;
        var savingsTarget = triage.Category is RequestClassifier.Cost or RequestClassifier.ModelSelection or RequestClassifier.Caching && e.Percentages.Count > 0
            ? e.Percentages[0] / 100
            : (double?)null;
        return new Goals(savingsTarget, e.TargetLatency?.Milliseconds, e.GrowthMultiplier, horizon);
    }
}
