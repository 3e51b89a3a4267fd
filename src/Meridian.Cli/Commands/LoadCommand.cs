using System.CommandLine;
using Meridian.Cli.Load;
using Meridian.Cli.Output;

namespace Meridian.Cli.Commands;

/// <summary><c>meridian load</c>: virtual users chat over the socket for a while; reports connect time, time to
/// first event, turn latency, errors by kind and lost or duplicated events. Exit 0 when nothing failed and no event
/// was lost, 1 otherwise, 2 when the test could not run.</summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var target = new TargetOptions();
        var users = new Option<int>("--users", "-u") { Description = "Virtual users (each signs in a user of its own with --e2e-key or --dev-login)", DefaultValueFactory = _ => 10 };
        users.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10_000)
            {
                r.AddError("--users takes a number from 1 to 10000");
            }
        });
        var duration = DurationOption.Create("--duration", "How long users start new turns", TimeSpan.FromSeconds(60), allowZero: false);
        var ramp = DurationOption.Create("--ramp", "Spread user starts over this time", TimeSpan.Zero);
        var think = DurationOption.Create("--think-time", "Pause between a user's turns", TimeSpan.FromSeconds(2));
        var turnTimeout = DurationOption.Create("--turn-timeout", "Wait for a turn's terminal event", TimeSpan.FromSeconds(120), allowZero: false);
        var eventTimeout = DurationOption.Create("--event-timeout", "Wait for the socket's welcome and for run_accepted", TimeSpan.FromSeconds(15), allowZero: false);
        var message = new Option<string>("--message") { Description = "What each user asks", DefaultValueFactory = _ => LoadSettings.DefaultMessage };
        var reportDir = new Option<string?>("--report-dir") { Description = "Write load.json and load.md here" };

        return TargetCommand.Create(
            "load", "Load-test a deployment: virtual users chat over the WebSocket; reports latencies, errors and lost events.",
            target, [users, duration, ramp, think, turnTimeout, eventTimeout, message, reportDir], async (parsed, credentials, ct) =>
        {
            var settings = new LoadSettings
            {
                Target = parsed.GetValue(target.Target)!,
                Credentials = credentials,
                Users = parsed.GetValue(users),
                Duration = parsed.GetValue(duration),
                Ramp = parsed.GetValue(ramp),
                ThinkTime = parsed.GetValue(think),
                TurnTimeout = parsed.GetValue(turnTimeout),
                EventTimeout = parsed.GetValue(eventTimeout),
                Message = parsed.GetValue(message)!,
            };
            var console = new LoadConsole(Terminal.Create());
            if (!SignIn.CanMint(credentials) && settings.Users > 1)
            {
                await Console.Error.WriteLineAsync($"meridian load: all {settings.Users} virtual users act as one user (their runs share its limits and reach every socket); --e2e-key or --dev-login give each its own.");
            }

            LoadReport report;
            try
            {
                report = await console.RunAsync(new LoadRunner(settings), settings.Users, ct);
            }
            catch (SignInException ex)
            {
                return Refuse(ex.Message);
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
                    files = report.Write(dir);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    console.Summary(report, []);
                    return Refuse($"could not write the reports to {dir}: {ex.Message}");
                }
            }

            console.Summary(report, files);
            return report.ExitCode;
        });
    }

    private static int Refuse(string message) => TargetCommand.Refuse("load", message);
}
