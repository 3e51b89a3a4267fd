using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Meridian.Cli.Load;

/// <summary>The result of a load test, with its verdict: it passes when every turn completed, nothing failed and
/// no event was lost or duplicated.</summary>
internal sealed record LoadReport(LoadSettings Settings, DateTimeOffset StartedAt, TimeSpan Elapsed, int DistinctUsers, LoadSnapshot Totals)
{
    private static readonly JsonSerializerOptions Options = new(Client.Json.Options) { WriteIndented = true };

    public bool Passed => Totals.Errors == 0 && Totals.Lost == 0 && Totals.Duplicated == 0 && Totals.TurnsFailed == 0 && Totals.TurnsCompleted > 0;

    public int ExitCode => Passed ? ExitCodes.Ok : ExitCodes.Failed;

    public string Verdict => Passed ? "PASS" : "FAIL";

    public double TurnsPerSecond => Elapsed.TotalSeconds > 0 ? Totals.TurnsCompleted / Elapsed.TotalSeconds : 0;

    public string Headline =>
        $"{Verdict} {Totals.TurnsCompleted} turns completed, {Totals.TurnsFailed} failed, {Totals.Errors} errors, {Totals.Lost} lost and {Totals.Duplicated} duplicated events "
        + $"({Totals.Events} events) with {Settings.Users} users ({DistinctUsers} distinct) in {Elapsed.TotalSeconds:0.0} s against {Settings.Target}";

    /// <summary>Writes <c>load.json</c> and <c>load.md</c> into the folder and returns their paths.</summary>
    public IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "load.json");
        var markdown = Path.Combine(directory, "load.md");
        File.WriteAllText(json, Json());
        File.WriteAllText(markdown, Markdown());
        return [json, markdown];
    }

    public string Json() => JsonSerializer.Serialize(new
    {
        target = Settings.Target.ToString(),
        started_at = StartedAt,
        duration_ms = (long)Elapsed.TotalMilliseconds,
        verdict = Verdict.ToLowerInvariant(),
        exit_code = ExitCode,
        settings = new
        {
            users = Settings.Users,
            distinct_users = DistinctUsers,
            duration_ms = (long)Settings.Duration.TotalMilliseconds,
            ramp_ms = (long)Settings.Ramp.TotalMilliseconds,
            think_time_ms = (long)Settings.ThinkTime.TotalMilliseconds,
            turn_timeout_ms = (long)Settings.TurnTimeout.TotalMilliseconds,
            message = Settings.Message,
        },
        totals = new
        {
            users_started = Totals.UsersStarted,
            users_connected = Totals.UsersConnected,
            turns_started = Totals.TurnsStarted,
            turns_completed = Totals.TurnsCompleted,
            turns_failed = Totals.TurnsFailed,
            turns_per_second = Math.Round(TurnsPerSecond, 2),
            events = Totals.Events,
            lost_events = Totals.Lost,
            duplicated_events = Totals.Duplicated,
            reconnects = Totals.Reconnects,
            rate_limited = Totals.RateLimited,
            errors = Totals.Errors,
        },
        connect_ms = Figures(Totals.Connect),
        first_event_ms = Figures(Totals.FirstEvent),
        turn_latency_ms = Figures(Totals.TurnLatency),
        errors_by_kind = Totals.ErrorsByKind,
        error_samples = Totals.ErrorSamples,
        seq_violations = Totals.SeqViolations,
        socket_drops = Totals.Drops,
    }, Options);

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load test: {Verdict}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{Headline}. Started {StartedAt:u}.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Settings: {Settings.Users} users ({DistinctUsers} distinct), duration {Settings.Duration.TotalSeconds:0.#} s, "
            + $"ramp {Settings.Ramp.TotalSeconds:0.#} s, think time {Settings.ThinkTime.TotalSeconds:0.#} s, turn timeout {Settings.TurnTimeout.TotalSeconds:0.#} s.");
        md.AppendLine();
        md.AppendLine("| measure | count | min | mean | p50 | p95 | p99 | max |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, d) in Measures)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} (ms) | {d.Count} | {d.Min:0} | {d.Mean:0} | {d.P50:0} | {d.P95:0} | {d.P99:0} | {d.Max:0} |");
        }

        md.AppendLine();
        md.AppendLine("| total | value |");
        md.AppendLine("|---|---:|");
        foreach (var (name, value) in Counts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        if (Totals.ErrorsByKind.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Errors by kind");
            md.AppendLine();
            foreach (var (kind, count) in Totals.ErrorsByKind)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- `{kind}`: {count}");
                foreach (var sample in Totals.ErrorSamples.GetValueOrDefault(kind) ?? [])
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"  - {sample}");
                }
            }
        }

        if (Totals.SeqViolations.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Seq violations (first 20)");
            md.AppendLine();
            foreach (var violation in Totals.SeqViolations)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {violation}");
            }
        }

        return md.ToString();
    }

    public IEnumerable<(string Name, Distribution Figures)> Measures =>
        [("connect", Totals.Connect), ("first event", Totals.FirstEvent), ("turn latency", Totals.TurnLatency)];

    public IEnumerable<(string Name, string Value)> Counts =>
    [
        ("users connected", $"{Totals.UsersConnected} of {Settings.Users}"),
        ("turns completed", Totals.TurnsCompleted.ToString(CultureInfo.InvariantCulture)),
        ("turns failed", Totals.TurnsFailed.ToString(CultureInfo.InvariantCulture)),
        ("turns per second", TurnsPerSecond.ToString("0.00", CultureInfo.InvariantCulture)),
        ("events", Totals.Events.ToString(CultureInfo.InvariantCulture)),
        ("lost events (seq gaps)", Totals.Lost.ToString(CultureInfo.InvariantCulture)),
        ("duplicated events", Totals.Duplicated.ToString(CultureInfo.InvariantCulture)),
        ("socket drops resumed", Totals.Reconnects.ToString(CultureInfo.InvariantCulture)),
        ("RATE_LIMITED answers waited out", Totals.RateLimited.ToString(CultureInfo.InvariantCulture)),
        ("errors", Totals.Errors.ToString(CultureInfo.InvariantCulture)),
    ];

    private static object Figures(Distribution d) => new
    {
        count = d.Count,
        min = Math.Round(d.Min, 1),
        mean = Math.Round(d.Mean, 1),
        p50 = Math.Round(d.P50, 1),
        p95 = Math.Round(d.P95, 1),
        p99 = Math.Round(d.P99, 1),
        max = Math.Round(d.Max, 1),
    };
}
