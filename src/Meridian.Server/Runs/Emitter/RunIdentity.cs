namespace Meridian.Server.Runs;

/// <summary>Who a run belongs to; <see cref="StartedAt"/> is a <see cref="TimeProvider"/> timestamp.</summary>
public sealed record RunIdentity(string RunId, string ThreadId, string UserId, long StartedAt);
