namespace Meridian.Server.Runs;

/// <summary>A stage's value and the one-line summary shown in <c>subagent_completed</c>.</summary>
public sealed record StageResult<T>(T Value, string Summary, string Status = "completed");

/// <summary>How a stage ended: with its value, or failed (the run goes on; the pipeline decides what that means).</summary>
public sealed record StageOutcome<T>(bool Succeeded, T? Value, string? Error)
{
    public static StageOutcome<T> Success(T value) => new(true, value, null);

    public static StageOutcome<T> Failure(string error) => new(false, default, error);
}

/// <summary>A failure worth retrying: a dependency that timed out, throttled (429) or failed (5xx).</summary>
public class TransientException(string message, Exception? inner = null) : Exception(message, inner);
