using Meridian.Server.Tools;

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
