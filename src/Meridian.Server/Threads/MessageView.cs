using Meridian.Server.Http;

namespace Meridian.Server.Threads;

/// <summary>A message of a thread, as REST pages and the socket's thread history carry it.</summary>
public sealed record MessageView(string Id, string Role, string Content, DateTimeOffset CreatedAt, string? RunId)
{
    public static MessageView From(MessageRecord m) => new(m.Id, m.Role, m.Content, Time.FromMs(m.CreatedAt), m.RunId);
}
