using System.Text.Json;
using Meridian.Validation.Checks;

namespace Meridian.Validation.Reports;

/// <summary>The report for programs: one object with the verdict, the exit code and every check.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new(Client.Json.Options) { WriteIndented = true };

    public static string Render(ValidationReport report) => JsonSerializer.Serialize(new
    {
        target = report.Target.ToString(),
        started_at = report.StartedAt,
        duration_ms = (long)report.Duration.TotalMilliseconds,
        verdict = report.Verdict.ToLowerInvariant().Replace(' ', '_'),
        exit_code = report.ExitCode,
        could_not_run = report.CouldNotRun,
        allow_skip = report.AllowSkip,
        totals = new { passed = report.Count(CheckOutcome.Passed), failed = report.Count(CheckOutcome.Failed), skipped = report.Count(CheckOutcome.Skipped) },
        checks = report.Results.Select(r => new
        {
            id = r.Check.Id,
            module = r.Check.Module,
            name = r.Check.Name,
            description = r.Check.Description,
            outcome = r.Outcome.ToString().ToLowerInvariant(),
            duration_ms = (long)r.Duration.TotalMilliseconds,
            diagnosis = r.Diagnosis is { } d ? new { id = d.Id, title = d.Title, summary = d.Summary, evidence = d.Evidence, depends_on = d.DependsOn } : null,
            notes = r.Notes,
        }),
    }, Options);
}
