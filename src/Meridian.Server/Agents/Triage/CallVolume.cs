namespace Meridian.Server.Agents.Triage;

/// <summary>A stated volume of calls, normalised to a 30-day month.</summary>
public sealed record CallVolume(double PerMonth, string Text);
