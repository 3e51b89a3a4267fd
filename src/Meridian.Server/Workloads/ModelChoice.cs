namespace Meridian.Server.Workloads;

/// <summary>A model a feature calls, by catalog name, with the tier to fall back on when a configured catalog lacks it.</summary>
internal sealed record ModelChoice(string Model, int Tier, double Share);
