namespace Meridian.Server.Tools;

public sealed record CostBreakdownData(decimal TotalCostUsd, decimal MonthlyCostUsd, IReadOnlyList<CostSlice> ByModel, IReadOnlyList<CostSlice> ByFeature);
