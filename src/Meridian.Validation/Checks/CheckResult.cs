namespace Meridian.Validation.Checks;

/// <summary>A finished check: outcome, duration, the diagnosis when it did not pass, and notes (what it measured,
/// also when it passed).</summary>
public sealed record CheckResult(Check Check, CheckOutcome Outcome, TimeSpan Duration, Diagnosis? Diagnosis, IReadOnlyList<string> Notes)
{
    /// <summary>Whether this result fails the run: failures always, skips unless they are allowed.</summary>
    public bool Fails(bool allowSkip) => Outcome == CheckOutcome.Failed || (Outcome == CheckOutcome.Skipped && !allowSkip);
}
