namespace Meridian.Server.Tools;

/// <summary>A model's part of the spend. <see cref="InputCostShare"/> is the part of its cost paid for input tokens
/// (what prompt caching and trimming act on).</summary>
public sealed record ModelUse(string Model, double CostShare, double InputCostShare, double P95LatencyMs);
