namespace Meridian.Server.Threads;

/// <summary>A page of the caller's threads (<c>GET /api/threads</c>).</summary>
public sealed record ThreadList(IEnumerable<ThreadView> Threads, long Total, int Limit, int Offset);
