namespace Meridian.Server.Agents.Triage;

/// <summary>A stated time range: a look-back ("last 30 days") or a horizon ("next quarter"), in days.</summary>
public sealed record TimeRange(int Days, bool IsFuture, string Text);
