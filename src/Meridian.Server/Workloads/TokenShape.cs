namespace Meridian.Server.Workloads;

/// <summary>Tokens of a call: log-normal around a median, clamped.</summary>
internal sealed record TokenShape(double Median, double Sigma, long Min, long Max);
