namespace Meridian.Server.Tools;

public sealed record LatencyProfileData(
    LatencyPercentiles Overall,
    IReadOnlyDictionary<string, LatencyPercentiles> ByModel,
    double ErrorRate,
    IReadOnlyList<long> CallsByHour,
    int PeakHour,
    double PeakToAverage);
