namespace Meridian.Server.Threads;

/// <summary>A page of one thread's messages (<c>GET /api/threads/{id}/messages</c>).</summary>
public sealed record MessagePage(IEnumerable<MessageView> Messages, string ThreadId, long Total, int Limit, int Offset);
