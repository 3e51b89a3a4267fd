using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Meridian.Bench.WsCapacity;

/// <summary>Authenticated idle sockets one server process (or <c>--nodes N</c> of them) holds, and its memory per
/// socket (bench/README.md, "ws-capacity"). The real server runs as its own process (<see cref="PublishedServer"/>);
/// client worker processes (<see cref="CapacityClient"/>) open the sockets in a paced ramp from
/// 127.0.0.2…127.0.0.N and time each socket from the start of its connect to the end of its welcome frame. With
/// every socket held idle (through at least one heartbeat and ping cycle) the server's VmRSS is compared with its
/// VmRSS at zero sockets after a warm-up.</summary>
internal sealed class WsCapacityBenchmark
{
    private const int SocketsPerWorker = 7000;

    private readonly CapacityOptions _options;
    private readonly List<CapacityNode> _nodes = [];
    private readonly List<CapacityWorker> _workers = [];
    private bool _capped;
    private int _target;

    private WsCapacityBenchmark(CapacityOptions options) => _options = options;

    public static async Task<string> RunAsync(bool quick, string[] args)
    {
        var options = CapacityOptions.Parse(quick, args);

        // The .NET runtime already raises its soft limit to the hard one; a larger hard limit needs
        // CAP_SYS_RESOURCE (or `ulimit -Hn` set before the run). Children (the servers, the workers) inherit it.
        var limit = ProcessLimits.RaiseFileLimit((ulong)(options.Sockets / options.Nodes) + 1000);
        Console.WriteLine($"open-file limit of this process and its children: {limit}");
        var run = new WsCapacityBenchmark(options);
        try
        {
            return CapacityReport.Write(options, await run.MeasureAsync(limit));
        }
        finally
        {
            foreach (var node in run._nodes)
            {
                await node.Server.DisposeAsync();
            }
        }
    }

    private async Task<CapacityOutcome> MeasureAsync(ulong limit)
    {
        await StartNodesAsync();
        await WarmUpAsync();
        StartWorkers();
        var (done, ramp) = await RampAsync();
        var welcome = WelcomeTimes.From(done, _nodes, _options.Users, _options.Warmup);
        Console.WriteLine($"ramp done in {ramp.TotalSeconds:F1} s: {welcome.Opened} welcomed, {welcome.Failed} failed; welcome {welcome.All.Summary()}");
        await HoldAsync();
        var stillOpen = await StopWorkersAsync();
        return new CapacityOutcome(_nodes, welcome, stillOpen, _workers.Count, ramp, _capped, _target, limit);
    }

    /// <summary>Each node is its own server process with its own SQLite data and port, sharing the token key: one
    /// process may not open more files than its limit, so more sockets than that on one machine need more processes.
    /// Each takes a contiguous share of the sockets, capped by the files it may still open.</summary>
    private async Task StartNodesAsync()
    {
        var server = await PublishedServer.PublishAsync();
        for (var n = 0; n < _options.Nodes; n++)
        {
            _nodes.Add(new CapacityNode(await PublishedServer.StartAsync(server, _options.ServerEnvironment, $"bench-node-{n + 1}")));
        }

        var wanted = _options.Sockets;
        foreach (var (node, n) in _nodes.Select((node, n) => (node, n)))
        {
            var share = (wanted * (n + 1) / _options.Nodes) - (wanted * n / _options.Nodes);
            node.Budget = (int)Math.Min(int.MaxValue, node.FileLimit - node.FilesAtStart - 64);
            node.Count = Math.Min(share, node.Budget);
            node.First = _target;
            _target += node.Count;
            if (node.Count < share)
            {
                _capped = true;
                Console.WriteLine($"node {n + 1} may open {node.FileLimit} files, {node.FilesAtStart} already open: capping it at {node.Count} sockets");
            }
        }
    }

    /// <summary>JIT, connection pools, the first users provisioned; then the baseline with no socket open.</summary>
    private async Task WarmUpAsync()
    {
        foreach (var node in _nodes)
        {
            // All open at once, then all closed.
            var sockets = await Task.WhenAll(Enumerable.Range(0, _options.Warmup).Select(i =>
                CapacityClient.OpenAsync(node.Server.BaseAddress, BenchAuth.Token($"cap_{i}", TimeSpan.FromHours(1)), null)));
            await Task.WhenAll(sockets.Select(s => s.DisposeAsync().AsTask()));
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var (node, n) in _nodes.Select((node, n) => (node, n)))
        {
            node.RssBefore = await MedianRssAsync(node.Server.Pid, 5);
            Console.WriteLine($"node {n + 1}: RSS with 0 sockets after warming up with {_options.Warmup}: {CapacityReport.Mib(node.RssBefore)}");
        }
    }

    /// <summary>Each node's own workers, at most <see cref="SocketsPerWorker"/> sockets each (a process's files),
    /// each at its share of the rate.</summary>
    private void StartWorkers()
    {
        foreach (var node in _nodes)
        {
            var count = (node.Count + SocketsPerWorker - 1) / SocketsPerWorker;
            for (var w = 0; w < count; w++)
            {
                var first = node.First + (node.Count * w / count);
                var size = node.First + (node.Count * (w + 1) / count) - first;
                var rate = _options.Rate * size / (double)Math.Max(1, _target);
                _workers.Add(CapacityWorker.Start(node.Server.BaseAddress, first, size, rate, _options.Addresses, _options.Users));
            }
        }
    }

    /// <summary>Starts every worker's ramp at once and prints the nodes' memory and files every second until all
    /// report <c>done</c>.</summary>
    private async Task<(IReadOnlyList<string> Done, TimeSpan Ramp)> RampAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.ExpectAsync("ready");
        }

        var ramp = Stopwatch.StartNew();
        foreach (var worker in _workers)
        {
            worker.Send("go");
        }

        var done = Task.WhenAll(_workers.Select(w => w.ExpectAsync("done")));
        while (!done.IsCompleted)
        {
            await Task.WhenAny(done, Task.Delay(1000));
            var line = new StringBuilder($"  {ramp.Elapsed.TotalSeconds,5:F0} s:");
            foreach (var (node, n) in _nodes.Select((node, n) => (node, n)))
            {
                line.Append($" node {n + 1} RSS {CapacityReport.Mib(node.SampleRss())}, {ProcessLimits.OpenFiles(node.Server.Pid)} files open;");
            }

            Console.WriteLine(line);
        }

        ramp.Stop();
        return (await done, ramp.Elapsed);
    }

    /// <summary>Holds every socket idle through a heartbeat and ping cycle, then reads the servers' memory (median of
    /// the last 5 samples) and the sockets each holds.</summary>
    private async Task HoldAsync()
    {
        var samples = _nodes.Select(_ => new List<long>()).ToList();
        for (var s = 0; s < _options.Hold; s++)
        {
            await Task.Delay(1000);
            foreach (var (node, n) in _nodes.Select((node, n) => (node, n)))
            {
                samples[n].Add(node.SampleRss());
            }
        }

        foreach (var (node, n) in _nodes.Select((node, n) => (node, n)))
        {
            node.RssAfter = Median(samples[n].TakeLast(5));
            var health = JsonDocument.Parse(await node.Server.Http.GetStringAsync("/ws/health")).RootElement;
            node.Held = health.GetProperty("authenticated_connections").GetInt32();
        }
    }

    /// <summary>Asks the workers how many sockets are still open, then ends them.</summary>
    private async Task<int> StopWorkersAsync()
    {
        var stillOpen = 0;
        foreach (var worker in _workers)
        {
            worker.Send("count");
            stillOpen += int.Parse((await worker.ExpectAsync("open"))["open ".Length..], CultureInfo.InvariantCulture);
        }

        foreach (var worker in _workers)
        {
            worker.Send("exit");
        }

        foreach (var worker in _workers)
        {
            await worker.ExitAsync();
        }

        return stillOpen;
    }

    private static async Task<long> MedianRssAsync(int pid, int samples)
    {
        var values = new List<long>();
        for (var i = 0; i < samples; i++)
        {
            values.Add(ProcessLimits.Rss(pid));
            await Task.Delay(1000);
        }

        return Median(values);
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
