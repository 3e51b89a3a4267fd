using Spectre.Console;

namespace Meridian.Cli.Load;

/// <summary>Shows a load test on the console: a live table on a terminal, a progress line every few seconds when
/// the output is redirected, then the summary.</summary>
internal sealed class LoadConsole(IAnsiConsole console)
{
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(5);
    private TimeSpan _lastLine = TimeSpan.Zero;

    public async Task<LoadReport> RunAsync(LoadRunner runner, int users, CancellationToken ct)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await runner.RunAsync((s, t) => Line(s, t, users), ct);
        }

        LoadReport? report = null;
        var table = Table(new LoadStats().Snapshot(), TimeSpan.Zero, users);
        await console.Live(table).AutoClear(true).StartAsync(async live =>
        {
            report = await runner.RunAsync((s, t) => live.UpdateTarget(Table(s, t, users)), ct);
        });
        return report!;
    }

    public void Summary(LoadReport report, IReadOnlyList<string> files)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("measure").AddColumn(new TableColumn("count").RightAligned())
            .AddColumn(new TableColumn("p50 ms").RightAligned()).AddColumn(new TableColumn("p95 ms").RightAligned())
            .AddColumn(new TableColumn("p99 ms").RightAligned()).AddColumn(new TableColumn("max ms").RightAligned());
        foreach (var (name, d) in report.Measures)
        {
            table.AddRow(name, $"{d.Count}", $"{d.P50:0}", $"{d.P95:0}", $"{d.P99:0}", $"{d.Max:0}");
        }

        console.Write(table);
        console.WriteLine(string.Join(", ", report.Counts.Select(c => $"{c.Name}: {c.Value}")));
        foreach (var (kind, count) in report.Totals.ErrorsByKind)
        {
            console.MarkupLine($"[red]error {Markup.Escape(kind)}[/] x{count}: {Markup.Escape(report.Totals.ErrorSamples.GetValueOrDefault(kind) is { Count: > 0 } samples ? samples[0] : "")}");
        }

        foreach (var violation in report.Totals.SeqViolations.Take(10))
        {
            console.MarkupLine($"[red]seq gap/duplicate[/] {Markup.Escape(violation)}");
        }

        var color = report.Passed ? "green" : "red";
        console.MarkupLine($"[{color} bold]{report.Verdict}[/] {Markup.Escape(report.Headline[(report.Verdict.Length + 1)..])}");
        foreach (var file in files)
        {
            console.MarkupLine($"[grey]report: {Markup.Escape(file)}[/]");
        }
    }

    private void Line(LoadSnapshot s, TimeSpan elapsed, int users)
    {
        if (elapsed - _lastLine < LineEvery)
        {
            return;
        }

        _lastLine = elapsed;
        console.Profile.Out.Writer.WriteLine(
            $"{elapsed.TotalSeconds,6:0}s users {s.UsersConnected}/{users} in-flight {s.InFlight} turns {s.TurnsCompleted} failed {s.TurnsFailed} "
            + $"events {s.Events} lost {s.Lost} dup {s.Duplicated} errors {s.Errors} turn {s.TurnLatency}");
    }

    private static Table Table(LoadSnapshot s, TimeSpan elapsed, int users) => new Table().Border(TableBorder.Rounded)
        .AddColumn("elapsed").AddColumn("users").AddColumn("in flight").AddColumn("turns").AddColumn("failed").AddColumn("events")
        .AddColumn("lost").AddColumn("dup").AddColumn("errors").AddColumn("first event").AddColumn("turn latency")
        .AddRow($"{elapsed.TotalSeconds:0}s", $"{s.UsersConnected}/{users}", $"{s.InFlight}", $"{s.TurnsCompleted}", $"{s.TurnsFailed}", $"{s.Events}",
            Count(s.Lost), Count(s.Duplicated), Count(s.Errors), Markup.Escape(s.FirstEvent.ToString()), Markup.Escape(s.TurnLatency.ToString()));

    private static string Count(long n) => n == 0 ? "0" : $"[red]{n}[/]";
}
