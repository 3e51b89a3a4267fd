using System.Text;
using Meridian.Validation.Checks;

namespace Meridian.Validation.Reports;

/// <summary>A report a person reads: verdict, a table of every check, then each failure with its evidence.</summary>
public static class MarkdownReport
{
    public static string Render(ValidationReport report)
    {
        var md = new StringBuilder()
            .AppendLine($"# Meridian validation: {report.Verdict}")
            .AppendLine()
            .AppendLine($"- target: `{report.Target}`")
            .AppendLine($"- started: {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, took {report.Duration.TotalSeconds:0.0} s")
            .AppendLine($"- result: {report.Totals}; exit code {report.ExitCode}");
        if (report.CouldNotRun is { } reason)
        {
            md.AppendLine().AppendLine($"The suite could not run: {reason}");
            return md.ToString();
        }

        md.AppendLine().AppendLine("| module | check | result | time | diagnosis / notes |").AppendLine("|---|---|---|---:|---|");
        foreach (var r in report.Results)
        {
            var detail = r.Diagnosis is { } d ? $"**{d.Title}**: {d.Summary}" : string.Join("; ", r.Notes.TakeLast(3));
            md.AppendLine($"| {r.Check.Module} | {r.Check.Name} | {Mark(r, report.AllowSkip)} | {r.Duration.TotalMilliseconds:0} ms | {Cell(detail)} |");
        }

        var problems = report.Results.Where(r => r.Diagnosis is not null).ToList();
        if (problems.Count > 0)
        {
            md.AppendLine().AppendLine("## Diagnoses");
            foreach (var r in problems)
            {
                md.AppendLine().AppendLine($"### {r.Check.Id}: {r.Diagnosis!.Title}").AppendLine()
                    .AppendLine(r.Check.Description).AppendLine()
                    .AppendLine($"{r.Diagnosis.Summary} (`{r.Diagnosis.Id}`)");
                if (r.Diagnosis.DependsOn is { } origin)
                {
                    // A shared verdict: the evidence is the first check's, shown once, there.
                    md.AppendLine().AppendLine($"Evidence: under {origin}.");
                }
                else if (r.Diagnosis.Evidence.Count > 0)
                {
                    md.AppendLine().AppendLine("```");
                    foreach (var line in r.Diagnosis.Evidence)
                    {
                        md.AppendLine(line);
                    }

                    md.AppendLine("```");
                }
            }
        }

        return md.ToString();
    }

    private static string Mark(CheckResult r, bool allowSkip) => r.Outcome switch
    {
        CheckOutcome.Passed => "pass",
        CheckOutcome.Skipped => allowSkip ? "skip" : "skip (fails)",
        _ => "**FAIL**",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
