namespace Meridian.Server.Runs;

/// <summary>A stage whose <c>subagent_started</c> is written and whose completion is not; <see cref="Started"/> is a
/// <see cref="TimeProvider"/> timestamp (for <c>duration_ms</c>).</summary>
internal sealed record OpenStage(string Agent, long Started);
