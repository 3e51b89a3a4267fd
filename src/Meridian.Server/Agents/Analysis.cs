using Meridian.Server.Agents.Triage;
using Meridian.Server.Pricing;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;

namespace Meridian.Server.Agents;

/// <summary>The data stage's output (docs/agents.md): what was measured (or estimated) and what had to be assumed.</summary>
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
public sealed class Analysis(string request, TriageResult triage)
{
    public string Request { get; } = request;

    public TriageResult Triage { get; set; } = triage;

    /// <summary>The user's usage records, loaded by the data stage (none before it, or when it did not run).</summary>
    public IReadOnlyList<UsageRecord> Records { get; set; } = [];

    public DataFindings? Data { get; set; }

    public IReadOnlyList<DataRequest>? DataRequests { get; set; }

    public OptimizationFindings? Optimization { get; set; }

    public PlanData? Actions { get; set; }

    public List<string> FailedStages { get; } = [];

    public Goals Goals => GoalsOf(Triage);

    /// <summary>The baseline the request's own figures give, for when nothing was measured.</summary>
    public Baseline EstimatedBaseline(PriceCatalog catalog)
    {
        var e = Triage.Entities;
        return BaselineBuilder.Estimated(catalog, e.MonthlySpend ?? 0, e.Models, e.MonthlyCalls ?? 0, e.CurrentLatency?.Milliseconds ?? 0,
            Triage.Category == RequestClassifier.Caching, BaselineBuilder.IsOffline(Request));
    }

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
