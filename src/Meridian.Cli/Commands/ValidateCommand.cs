using System.CommandLine;
using Meridian.Cli.Output;
using Meridian.Validation;
using Meridian.Validation.Modules;
using Meridian.Validation.Reports;

namespace Meridian.Cli.Commands;

/// <summary><c>meridian validate</c>: runs the deployment validation suite against a live target. Exit 0 when every
/// check passed, 1 when one failed (or was skipped without <c>--allow-skip</c>), 2 when the suite could not run.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var target = new TargetOptions();
        var secondToken = new Option<string?>("--second-token") { Description = "A second user's token, for the isolation checks when --token or --password give one user" };
        var modules = new Option<string[]>("--module", "-m") { Description = "Run only this module (repeatable, or comma-separated); see --list" };
        var list = new Option<bool>("--list") { Description = "List the modules and their checks, and exit" };
        var timeout = Seconds("--timeout", "The most any one check may take, in seconds; every wait inside is capped by it", 20);
        var eventTimeout = Seconds("--event-timeout", "Wait for one answer (HTTP response, reply frame, welcome), in seconds", 5);
        var runTimeout = Seconds("--run-timeout", "Wait for a run's terminal event, in seconds (once the server says the run ended, the event timeout at most)", 15);
        var latency = Seconds("--latency-threshold", "Latency above which a latency check fails, in seconds", 2);
        var silence = Seconds("--silence-limit", "Longest silence allowed between a run's events by their timestamps, in seconds (the contract says 2; the default allows clock jitter)", 2.5);
        var allowSkip = new Option<bool>("--allow-skip") { Description = "Count skipped checks as passing (by default a skip fails the run)" };
        var reportDir = new Option<string?>("--report-dir") { Description = "Write validation.md, validation.json and validation.junit.xml here" };

        var command = new Command("validate", "Validate a live deployment: ten modules of checks over HTTP and the WebSocket.");
        foreach (var option in target.All.Concat([secondToken, modules, list, timeout, eventTimeout, runTimeout, latency, silence, allowSkip, reportDir]))
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(list))
            {
                PrintList();
                return ExitCodes.Ok;
            }

            if (parsed.GetValue(target.Target) is not { } uri)
            {
                return Refuse("--target is required.");
            }

            var (credentials, error) = target.Credentials(parsed, parsed.GetValue(secondToken));
            if (credentials is null)
            {
                return Refuse(error!);
            }

            var settings = new ValidationSettings
            {
                Target = uri,
                Credentials = credentials,
                Modules = (parsed.GetValue(modules) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                CheckTimeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)),
                EventTimeout = TimeSpan.FromSeconds(parsed.GetValue(eventTimeout)),
                RunTimeout = TimeSpan.FromSeconds(parsed.GetValue(runTimeout)),
                LatencyThreshold = TimeSpan.FromSeconds(parsed.GetValue(latency)),
                SilenceLimit = TimeSpan.FromSeconds(parsed.GetValue(silence)),
                AllowSkip = parsed.GetValue(allowSkip),
            };
            var runner = new ValidationRunner(settings);
            try
            {
                runner.Selected();
            }
            catch (ArgumentException ex)
            {
                return Refuse(ex.Message);
            }

            var console = Terminal.Create();
            var reporter = new ConsoleReporter(console);
            ValidationReport report;
            try
            {
                report = await reporter.RunAsync(runner, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return Refuse("interrupted.");
            }

            IReadOnlyList<string> files = [];
            if (parsed.GetValue(reportDir) is { } dir)
            {
                try
                {
                    files = ReportFiles.Write(report, dir);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    reporter.Summary(report, []);
                    return Refuse($"could not write the reports to {dir}: {ex.Message}");
                }
            }

            reporter.Summary(report, files);
            return report.ExitCode;
        });
        return command;
    }

    private static Option<double> Seconds(string name, string description, double defaultSeconds)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultSeconds };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() <= 0)
            {
                r.AddError($"{name} takes a positive number of seconds");
            }
        });
        return option;
    }

    private static int Refuse(string message)
    {
        Console.Error.WriteLine($"meridian validate: {message}");
        return ExitCodes.NotRun;
    }

    private static void PrintList()
    {
        foreach (var module in Catalog.All)
        {
            Console.WriteLine($"{module.Name}: {module.Description}");
            foreach (var check in module.Checks)
            {
                Console.WriteLine($"  {check.Name}: {check.Description}");
            }
        }
    }
}
