namespace Meridian.Server.Agents.Triage;

/// <summary>A stated latency: the current value, or a target ("under 1.5 s").</summary>
public sealed record LatencyFigure(double Milliseconds, string? Percentile, bool IsTarget, string Text);
