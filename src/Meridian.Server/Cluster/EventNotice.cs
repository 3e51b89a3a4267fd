using System.Globalization;
using System.Text;
using Meridian.Server.Runs;

namespace Meridian.Server.Cluster;

/// <summary>One run's events of one commit, as a NOTIFY on <see cref="ClusterChannels.Events"/> names them: the run
/// (with its thread and owner, so a node with nobody following it reads nothing) and the seq range stored. The
/// events themselves are read from <c>run_events</c>: a payload stays small, and the log stays the one truth.</summary>
/// <remarks>Payload: the writing node's id on the first line, then one line per run, <c>run thread user from to</c>
/// (ids never hold spaces or line breaks). A commit touching many runs is split over several notifications, each
/// well under PostgreSQL's 8,000-byte limit.</remarks>
public sealed record EventNotice(string Origin, string RunId, string ThreadId, string UserId, long From, long To)
{
    private const int MaxPayload = 7000;

    /// <summary>The payloads announcing <paramref name="events"/> (in commit order) written by node <paramref name="origin"/>.</summary>
    public static List<string> Payloads(string origin, IReadOnlyList<RunEvent> events)
    {
        var payloads = new List<string>();
        var text = new StringBuilder(origin);
        foreach (var run in events.GroupBy(e => e.RunId, StringComparer.Ordinal))
        {
            var first = run.First();
            var line = string.Create(CultureInfo.InvariantCulture, $"\n{first.RunId} {first.ThreadId} {first.UserId} {run.Min(e => e.Seq)} {run.Max(e => e.Seq)}");
            if (text.Length + line.Length > MaxPayload && text.Length > origin.Length)
            {
                payloads.Add(text.ToString());
                text.Clear().Append(origin);
            }

            text.Append(line);
        }

        payloads.Add(text.ToString());
        return payloads;
    }

    /// <summary>The notices of one payload; lines that are not well formed are skipped.</summary>
    public static IEnumerable<EventNotice> Parse(string payload)
    {
        var lines = payload.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ');
            if (parts.Length == 5
                && long.TryParse(parts[3], CultureInfo.InvariantCulture, out var from)
                && long.TryParse(parts[4], CultureInfo.InvariantCulture, out var to))
            {
                yield return new EventNotice(lines[0], parts[0], parts[1], parts[2], from, to);
            }
        }
    }
}
