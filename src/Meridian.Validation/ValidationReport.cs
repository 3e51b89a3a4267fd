using Meridian.Validation.Checks;

namespace Meridian.Validation;

/// <summary>The outcome of a validation run. <see cref="ExitCode"/>: 0 every check passed, 1 a check failed (or
/// was skipped without <c>--allow-skip</c>), 2 the suite could not run.</summary>
public sealed record ValidationReport(
    Uri Target, DateTimeOffset StartedAt, TimeSpan Duration, IReadOnlyList<CheckResult> Results, bool AllowSkip, string? CouldNotRun = null)
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int NotRun = 2;

    public int ExitCode => CouldNotRun is not null ? NotRun : Results.Any(r => r.Fails(AllowSkip)) ? Failed : Passed;

    public int Count(CheckOutcome outcome) => Results.Count(r => r.Outcome == outcome);

    public string Verdict => ExitCode switch
    {
        Passed => "PASS",
        Failed => "FAIL",
        _ => "COULD NOT RUN",
    };

    public string Totals =>
        $"{Count(CheckOutcome.Passed)} passed, {Count(CheckOutcome.Failed)} failed, {Count(CheckOutcome.Skipped)} skipped{(AllowSkip ? " (allowed)" : "")}";
}
