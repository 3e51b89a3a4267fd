namespace Meridian.Server.Runs;

/// <summary>The one result type of the stage layer. A stage's body returns its value and the one-line summary that
/// <c>subagent_completed</c> shows; <see cref="PipelineContext.StageAsync{T}"/> returns the same, or, when the stage
/// failed or timed out, a result with status <c>failed</c> and the <see cref="Error"/> (the run goes on; the
/// pipeline decides what that means, docs/agents.md#1-the-pipeline).</summary>
public sealed record StageResult<T>(T Value, string Summary, string Status = "completed")
{
    /// <summary>Why the stage failed; null when it did not.</summary>
    public string? Error { get; private init; }

    public bool Succeeded => Error is null;

    public static StageResult<T> Failed(string error) => new(default!, error, "failed") { Error = error };
}
