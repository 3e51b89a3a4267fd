namespace Meridian.Server.Tools;

public sealed record Strategy(
    string Id,
    string Name,
    string Type,
    decimal MonthlySavingsUsd,
    double SavingsPct,
    string LatencyEffect,
    string QualityRisk,
    string Complexity,
    string Rollback,
    string Basis);
