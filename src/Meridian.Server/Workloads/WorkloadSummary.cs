namespace Meridian.Server.Workloads;

/// <summary>The answer of <c>GET /api/workloads/summary</c>: the caller's records summed up, and the date of the prices
/// costs were computed with.</summary>
public sealed record WorkloadSummary(UsageSummary Summary, DateOnly PricesAsOf);
