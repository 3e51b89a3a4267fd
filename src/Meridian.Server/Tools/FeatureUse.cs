namespace Meridian.Server.Tools;

/// <summary>A product feature's part of the spend; <see cref="Offline"/> when nobody waits for its answers.</summary>
public sealed record FeatureUse(string Feature, double CostShare, bool Offline);
