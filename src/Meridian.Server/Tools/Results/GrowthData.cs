namespace Meridian.Server.Tools;

public sealed record GrowthData(
    double GrowthMultiplier,
    string Basis,
    int HorizonMonths,
    decimal MonthlyCostNowUsd,
    decimal MonthlyCostAtHorizonUsd,
    decimal MonthlyCostAtHorizonWithSavingsUsd,
    IReadOnlyList<ProjectedMonth> Months);
