namespace Meridian.Server.Runs;

public sealed class RunRecord
{
    public string Id { get; set; } = "";

    public string ThreadId { get; set; } = "";

    public string UserId { get; set; } = "";

    public string Agent { get; set; } = "";

    public string Status { get; set; } = "";

    public string Input { get; set; } = "";

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public string? Usage { get; set; }

    public string? NodeId { get; set; }

    public long? LeaseExpiresAt { get; set; }

    public long CreatedAt { get; set; }

    public long? StartedAt { get; set; }

    public long? EndedAt { get; set; }

    public RunIdentity Identity(long startedTimestamp) => new(Id, ThreadId, UserId, startedTimestamp);
}
