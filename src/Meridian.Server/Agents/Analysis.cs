using Meridian.Server.Agents.Triage;
using Meridian.Server.Pricing;
using Meridian.Server.Tools;
using Meridian.Server.Workloads;

namespace Meridian.Server.Agents;

/// <summary>Everything one run has learned so far; each stage reads what the earlier ones left and adds its part.
/// Created per run and never shared.</summary>
public sealed class Analysis(string request, long usageRecords, TriageFindings triage)
{
    public string Request { get; } = request;

    /// <summary>How many usage records the user has, counted before triage (which judges data sufficiency by it).</summary>
    public long UsageRecords { get; } = usageRecords;

    /// <summary>Triage's reading of the request; until triage succeeds, that of an empty request.</summary>
    public TriageFindings Triage { get; set; } = triage;

    /// <summary>The user's usage records, loaded by the data stage (none before it, or when it did not run).</summary>
    public IReadOnlyList<UsageRecord> Records { get; set; } = [];

    public DataFindings? Data { get; set; }

    public IReadOnlyList<DataRequest>? DataRequests { get; set; }

    public OptimizationFindings? Optimization { get; set; }

    public PlanData? Actions { get; set; }

    /// <summary>The answer, set by the reporting stage (or, when writing failed, its draft).</summary>
    public Report? Report { get; set; }

    /// <summary>Whether any of the answer has reached the client as <c>agent_response_delta</c> events.</summary>
    public bool AnswerStreamed { get; set; }

    public List<string> FailedStages { get; } = [];

    public Goals Goals => GoalsOf(Triage);

    /// <summary>The baseline the request's own figures give, for when nothing was measured.</summary>
    public Baseline EstimatedBaseline(PriceCatalog catalog)
    {
        var e = Triage.Entities;
        return BaselineBuilder.Estimated(catalog, e.MonthlySpend ?? 0, e.Models, e.MonthlyCalls ?? 0, e.CurrentLatency?.Milliseconds ?? 0,
            Triage.Category == RequestClassifier.Caching, BaselineBuilder.IsOffline(Request));
    }

    public static Goals GoalsOf(TriageFindings triage)
    {
        var e = triage.Entities;
        var horizon = e.TimeRanges.FirstOrDefault(r => r.IsFuture) is { } future ? Math.Max(1, future.Days / 30) : 3;
        var savingsTarget = triage.Category is RequestClassifier.Cost or RequestClassifier.ModelSelection or RequestClassifier.Caching && e.Percentages.Count > 0
            ? e.Percentages[0] / 100
            : (double?)null;
        return new Goals(savingsTarget, e.TargetLatency?.Milliseconds, e.GrowthMultiplier, horizon);
    }
}
