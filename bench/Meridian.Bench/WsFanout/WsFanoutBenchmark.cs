using System.Globalization;
using System.Text;

namespace Meridian.Bench.WsFanout;

/// <summary>Run events delivered per second to N sockets of one user, and their delivery latency, against a bare
/// Kestrel WebSocket broadcast server measured in the same run with the same frame size and socket count
/// (bench/README.md, "ws-fanout"). Meridian is hosted in this process (<see cref="MeridianFanoutHost"/>: MeridianApp
/// with a pipeline that emits <c>agent_response_delta</c> events as fast as a window allows), so every event takes
/// the real path: RunEmitter → RunEventWriter (SQLite append, group commit) → RunBus → RunDelivery.Deliver →
/// per-socket outbox → send loop → Kestrel. The baseline (<see cref="BaselineHost"/>) broadcasts the same bytes
/// through a per-socket channel and send loop and stores nothing. Both are driven the same way
/// (<see cref="FanoutDriver"/>): at most <see cref="Window"/> events not yet received by every socket (saturation),
/// or a fixed event rate (latency).</summary>
internal static class WsFanoutBenchmark
{
    public const int Window = 256;
    public const string User = "fan_0";
    public const string Padding = "The quarterly spend on cloud services rose by 4.2% against the plan.";

    private static readonly TimeSpan Warm = TimeSpan.FromMilliseconds(500);

    public static async Task<string> RunAsync(bool quick, string[] args)
    {
        var options = FanoutOptions.Parse(quick, args);
        await using var meridian = await MeridianFanoutHost.StartAsync(options.Runs);
        await using var baseline = await BaselineHost.StartAsync();
        var results = new List<FanoutResult>();
        var frameSize = 0;
        foreach (var n in options.Sizes)
        {
            await using var meridianClients = await FanoutReceivers.ConnectAsync(meridian.BaseAddress, n, BenchAuth.Token(User, TimeSpan.FromHours(2)));
            await using var baselineClients = await FanoutReceivers.ConnectAsync(baseline.BaseAddress, n, null);
            frameSize = await WarmUpAsync(meridian, meridianClients, baseline, baselineClients, options.Quick);
            var sides = new FanoutSides(meridian, meridianClients, baseline, baselineClients);
            results.Add(await MeasureAsync(sides, n, options));
        }

        return Report(options, results, frameSize);
    }

    /// <summary>Warm-up (JIT, pools, SQLite pages); the Meridian warm-up also yields the frame the baseline sends.
    /// Returns that frame's size.</summary>
    private static async Task<int> WarmUpAsync(
        MeridianFanoutHost meridian, FanoutReceivers meridianClients, BaselineHost baseline, FanoutReceivers baselineClients, bool quick)
    {
        var warmup = TimeSpan.FromSeconds(quick ? 1 : 2);
        await meridian.PhaseAsync(meridianClients, rate: null, TimeSpan.FromSeconds(1), warmup);
        var template = meridianClients.Template ?? throw new InvalidOperationException("no event reached the Meridian clients");
        baseline.Template = template;
        await baseline.PhaseAsync(baselineClients, rate: null, TimeSpan.FromSeconds(1), warmup);
        return template.Length;
    }

    /// <summary>Rounds of the two sides back to back, the order rotating every round: on a shared machine the load
    /// drifts, so each round's ratio compares sides measured seconds apart, and the median of rounds is reported.
    /// Then latency at a fixed rate both sides sustain: half the slower side's saturated rate.</summary>
    private static async Task<FanoutResult> MeasureAsync(FanoutSides sides, int n, FanoutOptions options)
    {
        var meridianSat = new List<FanoutPhase>();
        var baselineSat = new List<FanoutPhase>();
        for (var r = 0; r < options.Rounds; r++)
        {
            await sides.RoundAsync(r, rate: null, Warm, options.Measure, meridianSat, baselineSat);
            Console.WriteLine($"N={n} round {r + 1}: Meridian {meridianSat[^1]}; baseline {baselineSat[^1]}");
        }

        var m = FanoutResult.MedianBy(meridianSat, p => p.EventsPerSecond);
        var b = FanoutResult.MedianBy(baselineSat, p => p.EventsPerSecond);
        var rate = Math.Max(1, Math.Round(Math.Min(m.EventsPerSecond, b.EventsPerSecond) / 2));
        var meridianPaced = new List<FanoutPhase>();
        var baselinePaced = new List<FanoutPhase>();
        for (var r = 0; r < options.Rounds; r++)
        {
            await sides.RoundAsync(r, rate, Warm, options.Measure, meridianPaced, baselinePaced);
            Console.WriteLine($"N={n} paced {rate}/s round {r + 1}: Meridian {meridianPaced[^1]}; baseline {baselinePaced[^1]}");
        }

        return new FanoutResult(n, meridianSat, baselineSat, rate, meridianPaced, baselinePaced, sides.Closed);
    }

    private static string Report(FanoutOptions options, List<FanoutResult> results, int frameSize)
    {
        var text = new StringBuilder();
        text.AppendLine("### ws-fanout: run events delivered to N sockets of one user, against a bare Kestrel WebSocket broadcast (same run)");
        text.AppendLine();
        text.AppendLine("| sockets | Meridian events/s (frames/s) | baseline events/s (frames/s) | ratio | paced at | Meridian latency | baseline latency |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Rows(text, r);
        }

        text.AppendLine();
        text.AppendLine($"Each cell is the median of {options.Rounds} rounds of {options.Seconds} s per side (after 0.5 s unmeasured), the two sides back to back in " +
                        $"an order rotating every round; the ratio is the median of the rounds' ratios. Frames of {frameSize} bytes " +
                        $"(an `agent_response_delta` event); at most {Window} events in flight when saturated. Meridian's events come from {options.Runs} " +
                        "concurrent runs of the one user (a pipeline that emits deltas; every event goes through the event log's group commit to SQLite, then is published to " +
                        "all of the user's sockets); the baseline broadcasts the same bytes from one loop. Latency is from the timestamp the " +
                        "producer writes into the event (before Meridian stores it) to the client's receive, every frame counted; the paced rows " +
                        "send at half the slower side's saturated rate. Clients, Meridian (in-process MeridianApp, SQLite) and the baseline share this process.");
        var verdicts = results.Select(r => $"N={r.Sockets}: {r.Ratio:F2}× — {(r.Ratio >= 0.8 ? "met" : "NOT met")}" +
                                           (r.Closed > 0 ? $" ({r.Closed} sockets closed during the run)" : ""));
        text.AppendLine($"Target: ≥ 0.8× the baseline's events/s — {string.Join("; ", verdicts)}.");
        text.AppendLine($"Command: `{BenchArgs.Command("ws-fanout", options.Args)}`");
        return text.ToString();
    }

    private static void Rows(StringBuilder text, FanoutResult r)
    {
        var (m, b, mp, bp) = (r.Meridian, r.Baseline, r.MeridianLatency, r.BaselineLatency);
        text.AppendLine($"| {r.Sockets} | {m.EventsPerSecond:F0} ({m.FramesPerSecond:F0}) | {b.EventsPerSecond:F0} ({b.FramesPerSecond:F0}) | {r.Ratio:F2}× " +
                        $"| {r.PacedRate:F0} events/s | p50 {mp.Latency.Percentile(50):F2} ms, p99 {mp.Latency.Percentile(99):F2} ms " +
                        $"| p50 {bp.Latency.Percentile(50):F2} ms, p99 {bp.Latency.Percentile(99):F2} ms |");
        text.AppendLine($"| {r.Sockets}, saturated | latency p50 {m.Latency.Percentile(50):F1} ms, p99 {m.Latency.Percentile(99):F1} ms " +
                        $"| latency p50 {b.Latency.Percentile(50):F1} ms, p99 {b.Latency.Percentile(99):F1} ms | | | | |");
        text.AppendLine($"| {r.Sockets}, per-round ratios | {string.Join(" ", r.RoundRatios.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))} | | | | | |");
    }
}
