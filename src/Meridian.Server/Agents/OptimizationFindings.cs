using Meridian.Server.Tools;

namespace Meridian.Server.Agents;

public sealed record OptimizationFindings(SavingsData Savings, GrowthData? Growth, PriceLookupData Prices, IReadOnlyList<string> Findings)
{
    public IReadOnlyList<Strategy> Strategies => Savings.Strategies;
}
