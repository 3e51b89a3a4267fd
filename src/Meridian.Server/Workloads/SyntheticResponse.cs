namespace Meridian.Server.Workloads;

/// <summary>The answer of <c>POST /api/workloads/synthetic</c>: the settings used (the seed too, so the same
/// workload can be generated again), how many records were made, and the caller's records summed up afterwards.</summary>
public sealed record SyntheticResponse(
    string Profile,
    string Description,
    long Seed,
    int Days,
    DateOnly StartDate,
    DateOnly EndDate,
    int CallsPerDay,
    double GrowthPctPerMonth,
    double ErrorRate,
    long Generated,
    bool Replaced,
    DateOnly PricesAsOf,
    UsageSummary Summary);
