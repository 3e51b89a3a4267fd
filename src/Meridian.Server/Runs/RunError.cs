namespace Meridian.Server.Runs;

/// <summary>Why a run failed: a code of the catalogue (docs/errors.md) and its message; null on a run that did not fail.</summary>
public sealed record RunError(string ErrorCode, string? Message)
{
    public static RunError? Of(RunRecord run) => run.ErrorCode is null ? null : new(run.ErrorCode, run.ErrorMessage);
}
