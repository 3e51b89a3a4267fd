using Meridian.Server.Pricing;

namespace Meridian.Server.Workloads;

/// <summary>The answer of <c>GET /api/workloads/summary</c>: the caller's records summed up, and the catalog that
/// prices records without a cost (<see cref="PricesAsOf"/> is its date, kept for older clients).</summary>
public sealed record WorkloadSummary(UsageSummary Summary, DateOnly PricesAsOf, PricesInfo Prices);
