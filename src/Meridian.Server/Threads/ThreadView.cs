using Meridian.Server.Http;

namespace Meridian.Server.Threads;

/// <summary>A thread as the <c>/api/threads</c> routes answer it; <c>thread_id</c> repeats <c>id</c> for clients that
/// read the same name as in run and socket answers.</summary>
public sealed record ThreadView(string Id, string ThreadId, string Title, bool Archived, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ThreadView From(ThreadRecord t) =>
        new(t.Id, t.Id, t.Title, t.Archived, Time.FromMs(t.CreatedAt), Time.FromMs(t.UpdatedAt));
}
