namespace Meridian.Server.Runs;

/// <summary><c>queued</c> → <c>running</c> → <c>completed</c> | <c>failed</c> | <c>stopped</c>.</summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Stopped = "stopped";

    public static bool IsActive(string status) => status is Queued or Running;
}
