namespace Meridian.Server.Runs;

/// <summary>A stage between <c>subagent_started</c> and <c>subagent_completed</c>.</summary>
public sealed class StageScope
{
    private readonly RunEmitter _emitter;
    private readonly OpenStage _stage;

    internal StageScope(RunEmitter emitter, OpenStage stage)
    {
        _emitter = emitter;
        _stage = stage;
    }

    public string Agent => _stage.Agent;

    /// <summary>Writes <c>subagent_completed</c> with status <c>completed</c>, <c>failed</c> or <c>skipped</c>.</summary>
    public Task CompleteAsync(string status, string summary, CancellationToken cancellationToken) =>
        _emitter.CompleteStageAsync(_stage, status, summary, cancellationToken);
}
