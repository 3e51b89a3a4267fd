using Meridian.Validation;
using Meridian.Validation.Checks;
using Spectre.Console;

namespace Meridian.Cli.Output;

/// <summary>Shows a validation run on the console: a live table on a terminal (one line per check as it finishes
/// when the output is redirected), then the diagnoses with their evidence and the verdict.</summary>
internal sealed class ConsoleReporter(IAnsiConsole console)
{
    private readonly Table _table = new Table().Border(TableBorder.Rounded)
        .AddColumn("module").AddColumn("check").AddColumn("result").AddColumn(new TableColumn("time").RightAligned()).AddColumn("diagnosis / notes");

    public async Task<ValidationReport> RunAsync(ValidationRunner runner, CancellationToken ct)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            // One unwrapped plain line per check: logs are read with grep.
            runner.CheckFinished += r => console.Profile.Out.Writer.WriteLine($"{r.Outcome.ToString().ToLowerInvariant(),-7} {r.Check.Id} {r.Duration.TotalMilliseconds:0} ms {Detail(r)}");
            return await runner.RunAsync(ct);
        }

        ValidationReport? report = null;
        await console.Live(_table).AutoClear(false).StartAsync(async live =>
        {
            runner.CheckStarted += c =>
            {
                _table.AddRow(Markup.Escape(c.Module), Markup.Escape(c.Name), "[blue]running[/]", "", "");
                live.Refresh();
            };
            runner.CheckFinished += r =>
            {
                var row = _table.Rows.Count - 1;
                _table.UpdateCell(row, 2, Mark(r));
                _table.UpdateCell(row, 3, $"{r.Duration.TotalMilliseconds:0} ms");
                _table.UpdateCell(row, 4, Markup.Escape(Detail(r)));
                live.Refresh();
            };
            report = await runner.RunAsync(ct);
        });
        return report!;
    }

    public void Summary(ValidationReport report, IReadOnlyList<string> files)
    {
        if (report.CouldNotRun is { } reason)
        {
            console.MarkupLine($"[red]Could not run the suite:[/] {Markup.Escape(reason)}");
        }

        foreach (var r in report.Results.Where(r => r.Diagnosis is not null && r.Fails(report.AllowSkip)))
        {
            var lines = new List<string> { $"[bold]{Markup.Escape(r.Diagnosis!.Title)}[/]: {Markup.Escape(r.Diagnosis.Summary)}" };
            // A shared verdict's evidence is the first check's, shown once, in that check's panel.
            lines.AddRange(r.Diagnosis.DependsOn is { } origin
                ? [$"[grey]evidence: under {Markup.Escape(origin)}[/]"]
                : r.Diagnosis.Evidence.Take(12).Select(e => "[grey]" + Markup.Escape(e) + "[/]"));
            console.Write(new Panel(new Markup(string.Join("\n", lines))).Header(Markup.Escape(r.Check.Id)).BorderColor(Color.Red));
        }

        var color = report.ExitCode == 0 ? "green" : "red";
        console.MarkupLine($"[{color} bold]{report.Verdict}[/] {Markup.Escape(report.Totals)} in {report.Duration.TotalSeconds:0.0} s against {Markup.Escape(report.Target.ToString())}");
        foreach (var file in files)
        {
            console.MarkupLine($"[grey]report: {Markup.Escape(file)}[/]");
        }
    }

    private static string Mark(CheckResult r) => r.Outcome switch
    {
        CheckOutcome.Passed => "[green]pass[/]",
        CheckOutcome.Skipped => "[yellow]skip[/]",
        _ => "[red]FAIL[/]",
    };

    private static string Detail(CheckResult r) =>
        r.Diagnosis is { } d ? $"{d.Title}: {d.Summary}" : string.Join("; ", r.Notes.TakeLast(2));
}
