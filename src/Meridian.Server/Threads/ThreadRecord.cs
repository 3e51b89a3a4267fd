using Meridian.Server.Storage;

namespace Meridian.Server.Threads;

public sealed class ThreadRecord
{
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public string Title { get; set; } = "";

    public bool Archived { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
