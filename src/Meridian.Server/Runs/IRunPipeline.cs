namespace Meridian.Server.Runs;

/// <summary>What a run executes. The runtime owns the run's lifecycle (start, terminal event, timeouts,
/// cancellation, status); a pipeline only does the work, stage by stage, through <see cref="PipelineContext"/>.</summary>
public interface IRunPipeline
{
    /// <summary>The stages a run of <paramref name="agent"/> plans, in order (announced in <c>agent_started</c>).</summary>
    IReadOnlyList<string> Plan(string agent);

    Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken);
}

/// <summary>The final answer (Markdown), the structured output of every stage, and the language-model usage.</summary>
public sealed record PipelineResult(string Response, object Result, RunUsage Usage);
