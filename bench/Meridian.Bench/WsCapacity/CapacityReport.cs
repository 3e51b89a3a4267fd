using System.Globalization;
using System.Text;

namespace Meridian.Bench.WsCapacity;

/// <summary>The markdown a ws-capacity run reports (and appends to bench/results.md).</summary>
internal static class CapacityReport
{
    public static string Write(CapacityOptions o, CapacityOutcome r)
    {
        var one = o.Nodes == 1;
        var text = new StringBuilder();
        text.AppendLine(one
            ? "### ws-capacity: authenticated idle sockets held by one server process, and server memory per socket"
            : $"### ws-capacity: authenticated idle sockets held by {o.Nodes} server processes on one machine, and server memory per socket");
        text.AppendLine();
        text.AppendLine("| measurement | result |");
        text.AppendLine("|---|---|");
        Sockets(text, o, r);
        Memory(text, o, r);
        text.AppendLine();
        Notes(text, o, r);
        var welcome = r.Welcome.All;
        text.AppendLine($"Targets: ≥ 20,000 sockets{(one ? "" : " on this machine")} — {(r.ServerHeld >= 20_000 ? "met" : "NOT met")} ({r.ServerHeld}); ≤ 16 KiB per socket — " +
                        $"{(r.PerSocket <= 16 * 1024 ? "met" : "NOT met")} ({r.PerSocket / 1024:F1} KiB); welcome p99 ≤ 50 ms — " +
                        $"{(welcome.Count > 0 && welcome.Percentile(99) <= 50 ? "met" : "NOT met")} ({(welcome.Count > 0 ? welcome.Percentile(99) : double.NaN):F1} ms).");
        text.AppendLine($"Command: `{BenchArgs.Command("ws-capacity", o.Args)}` " +
                        $"(open-file limit of the run: {r.FileLimit}; see bench/README.md for raising it)");
        return text.ToString();
    }

    public static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):F1} MiB";

    private static void Sockets(StringBuilder text, CapacityOptions o, CapacityOutcome r)
    {
        var one = o.Nodes == 1;
        var w = r.Welcome;
        text.AppendLine($"| sockets asked for / opened (welcomed) / failed | {o.Sockets} / {w.Opened} / {w.Failed} |");
        text.AppendLine($"| held idle by the server{(one ? "" : "s")} after {o.Hold} s (`/ws/health` authenticated) / still open at the clients | {r.ServerHeld} / {r.StillOpen} |");
        text.AppendLine($"| users{(one ? "" : " per node")} / source addresses / client processes | {o.Users} / 127.0.0.2–127.0.0.{o.Addresses + 1} / {r.Workers} |");
        text.AppendLine($"| ramp | {o.Rate} sockets/s asked, {w.Opened / r.Ramp.TotalSeconds:F0} sockets/s achieved ({r.Ramp.TotalSeconds:F1} s) |");
        text.AppendLine($"| time to welcome during the ramp (connect + upgrade + token check + welcome){(one ? "" : ", all nodes")} | {w.All.Summary()} |");
        if (w.FirstUse.Count > 0)
        {
            text.AppendLine($"| … of the first socket of each user (its token provisions the user: one more database write) | {w.FirstUse.Summary()} |");
        }

        text.AppendLine($"| … p99 by tenth of the ramp | {string.Join(", ", w.Tenths.Where(t => t.Count > 0).Select(t => t.Percentile(99).ToString("F0", CultureInfo.InvariantCulture)))} ms |");
        if (w.Errors.Count > 0)
        {
            text.AppendLine($"| failures | {string.Join("; ", w.Errors)} |");
        }
    }

    private static void Memory(StringBuilder text, CapacityOptions o, CapacityOutcome r)
    {
        var one = o.Nodes == 1;
        foreach (var (node, n) in r.Nodes.Select((node, n) => (node, n)))
        {
            var label = one ? "server VmRSS" : $"node {n + 1} ({node.Held} sockets): VmRSS";
            text.AppendLine($"| {label}: 0 sockets (after a warm-up of {o.Warmup}) → {node.Held} idle sockets (peak) | {Mib(node.RssBefore)} → {Mib(node.RssAfter)} ({Mib(node.RssPeak)}), " +
                            $"{(node.RssAfter - node.RssBefore) / (double)Math.Max(1, node.Held) / 1024:F1} KiB per socket |");
        }

        text.AppendLine($"| server memory per idle socket ((RSS after − RSS before{(one ? "" : ", all nodes")}) / sockets) | {r.PerSocket / 1024:F1} KiB |");
    }

    private static void Notes(StringBuilder text, CapacityOptions o, CapacityOutcome r)
    {
        if (r.Capped)
        {
            text.AppendLine($"A server process may open {r.Nodes[0].FileLimit} files (`ulimit -Hn` of the run; raising it needs CAP_SYS_RESOURCE, " +
                            $"which this machine's container does not grant) and has ~{r.Nodes[0].FilesAtStart} open before the first socket, so the run was capped at {r.Target} sockets.");
        }

        if (o.Nodes > 1)
        {
            text.AppendLine($"{o.Nodes} server processes (nodes) on this machine, each with its own SQLite data and port and the same token key, " +
                            "the sockets spread evenly over them: one process may hold only its open-file limit minus its own files.");
        }
    }
}
