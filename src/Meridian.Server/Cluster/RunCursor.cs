namespace Meridian.Server.Cluster;

/// <summary>How far this node has published a run executed elsewhere: its last seq handed to the local bus.</summary>
internal sealed class RunCursor(string runId, string threadId, string userId, long last)
{
    public string RunId { get; } = runId;

    public string ThreadId { get; } = threadId;

    public string UserId { get; } = userId;

    public long Last { get; set; } = last;

    /// <summary>When a notice last named the run (Unix ms): cursors of runs gone quiet are dropped.</summary>
    public long Touched { get; set; }
}
