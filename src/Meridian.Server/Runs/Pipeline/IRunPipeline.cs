namespace Meridian.Server.Runs;

/// <summary>What a run executes. The runtime owns the run's lifecycle (start, terminal event, timeouts,
/// cancellation, status); a pipeline only does the work, stage by stage, through <see cref="PipelineContext"/>.</summary>
public interface IRunPipeline
{
    /// <summary>The stages a run of <paramref name="agent"/> plans, in order (announced in <c>agent_started</c>).</summary>
    IReadOnlyList<string> Plan(string agent);

    Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken);
}
