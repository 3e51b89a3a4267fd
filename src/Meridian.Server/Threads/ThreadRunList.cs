using Meridian.Server.Runs;

namespace Meridian.Server.Threads;

/// <summary>A page of one thread's runs, newest first (<c>GET /api/threads/{id}/runs</c>).</summary>
public sealed record ThreadRunList(IEnumerable<RunView> Runs, string ThreadId, int Limit, int Offset);
