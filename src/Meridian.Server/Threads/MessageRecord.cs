using Meridian.Server.Storage;

namespace Meridian.Server.Threads;

public sealed class MessageRecord
{
    public string Id { get; set; } = "";

    public string ThreadId { get; set; } = "";

    public string Role { get; set; } = "";

    public string Content { get; set; } = "";

    public string? RunId { get; set; }

    public long CreatedAt { get; set; }
}
