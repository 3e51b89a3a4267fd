namespace Meridian.Server.Workloads;

/// <summary>A kind of product whose LLM traffic can be generated (<c>POST /api/workloads/synthetic</c>). Hour weights
/// are by UTC hour, weekday weights Monday to Sunday; both are relative.</summary>
internal sealed record SyntheticProfile(
    string Name,
    string Description,
    int CallsPerDay,
    double GrowthPctPerMonth,
    double ErrorRate,
    double[] HourWeights,
    double[] WeekdayWeights,
    FeatureProfile[] Features);
