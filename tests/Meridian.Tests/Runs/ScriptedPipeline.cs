using Meridian.Server.Runs;

namespace Meridian.Tests.Runs;

/// <summary>A pipeline whose work a test writes, to drive the runtime through outcomes the real agents rarely
/// produce on demand (hangs, exceptions, transient failures, silence).</summary>
public sealed class ScriptedPipeline(Func<PipelineContext, CancellationToken, Task<PipelineResult>> run, params string[] plan) : IRunPipeline
{
    public IReadOnlyList<string> Plan(string agent) => plan.Length > 0 ? plan : ["triage", "reporting"];

    public Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken) => run(context, cancellationToken);

    public static PipelineResult Done(string response = "done") => new(response, new { ok = true }, RunUsage.None);
}
