namespace Meridian.Server.Tools;

/// <summary>One model's or feature's part of the spend. Monthly figures are run-rates over the records' span.</summary>
public sealed record CostSlice(
    string Name,
    long Calls,
    decimal CostUsd,
    decimal MonthlyCostUsd,
    double Share,
    long InputTokens,
    long OutputTokens,
    double P95LatencyMs,
    double ErrorRate);
