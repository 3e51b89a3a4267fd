using System.Text.Json;

namespace Meridian.Bench.WsCapacity;

/// <summary>The workers' <c>done</c> reports put together: sockets opened and failed, time to welcome over all
/// sockets, by tenth of the ramp, and of each user's first socket.</summary>
internal sealed class WelcomeTimes
{
    private readonly List<(CapacityNode Node, int Index, double When, double Ms)> _timed = [];

    public int Opened { get; private set; }

    public int Failed { get; private set; }

    public List<string> Errors { get; } = [];

    public Samples All { get; } = new();

    /// <summary>By tenth of the ramp: when in its worker's ramp each socket was due.</summary>
    public Samples[] Tenths { get; } = [.. Enumerable.Range(0, 10).Select(_ => new Samples())];

    /// <summary>The first socket of each user on its node: its token provisions the user there.</summary>
    public Samples FirstUse { get; } = new();

    public static WelcomeTimes From(IEnumerable<string> doneLines, IReadOnlyList<CapacityNode> nodes, int users, int warmup)
    {
        var times = new WelcomeTimes();
        foreach (var line in doneLines)
        {
            times.Add(JsonDocument.Parse(line["done ".Length..]).RootElement, nodes);
        }

        foreach (var (_, _, when, ms) in times._timed)
        {
            times.All.Add(TimeSpan.FromMilliseconds(ms));
            times.Tenths[Math.Min(9, (int)(when * 10))].Add(TimeSpan.FromMilliseconds(ms));
        }

        // A user's first socket on a node provisions it there (the warm-up provisioned users below its size).
        foreach (var byUser in times._timed.Where(t => t.Index % users >= warmup).GroupBy(t => (t.Node, t.Index % users)))
        {
            times.FirstUse.Add(TimeSpan.FromMilliseconds(byUser.MinBy(t => t.When).Ms));
        }

        return times;
    }

    private void Add(JsonElement report, IReadOnlyList<CapacityNode> nodes)
    {
        Opened += report.GetProperty("opened").GetInt32();
        Failed += report.GetProperty("failed").GetInt32();
        var first = report.GetProperty("first").GetInt32();
        var node = nodes.Last(n => n.First <= first);
        var welcome = report.GetProperty("welcome_ms");
        var count = welcome.GetArrayLength();
        var slot = 0;
        foreach (var value in welcome.EnumerateArray())
        {
            // Workers ramp side by side, each at its share of the rate: a socket's slot in its worker's ramp
            // over the worker's size is when in the ramp it was due.
            if (value.GetDouble() is var ms and >= 0)
            {
                _timed.Add((node, first + slot, (double)slot / count, ms));
            }

            slot++;
        }

        Errors.AddRange(report.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!));
    }
}
