namespace Meridian.Server.Runs;

/// <summary>Thrown to a pipeline that writes after its run has ended (stopped, failed or timed out).</summary>
public sealed class RunEndedException(string runId) : InvalidOperationException($"Run {runId} has already ended.");
