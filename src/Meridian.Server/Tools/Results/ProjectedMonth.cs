namespace Meridian.Server.Tools;

public sealed record ProjectedMonth(int Month, decimal CostUsd, decimal CostWithSavingsUsd, double Calls);
