namespace Meridian.Server.Tools;

/// <summary>What the user wants, from triage: it shapes which strategies matter, not what they save.</summary>
public sealed record Goals(double? TargetSavingsPct = null, double? TargetP95Ms = null, double? GrowthMultiplier = null, int HorizonMonths = 3)
{
    public static readonly Goals None = new();
}
