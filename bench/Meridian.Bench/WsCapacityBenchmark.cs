using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Meridian.Bench;

/// <summary>Authenticated idle sockets one server process (or <c>--nodes N</c> of them) holds, and its memory per
/// socket. The real server runs as its own process (a Release publish of src/Meridian.Server, SQLite in a temp folder); client worker processes
/// (this program in <c>ws-capacity-client</c> mode) open the sockets in a paced ramp from 127.0.0.2…127.0.0.N and
/// time each socket from the start of its connect to the end of its welcome frame. With every socket held idle
/// (through at least one heartbeat and ping cycle) the server's VmRSS is compared with its VmRSS at zero sockets
/// after a warm-up.</summary>
internal static class WsCapacityBenchmark
{
    private const int SocketsPerWorker = 7000;
    private const int HeartbeatSeconds = 25;

    public static async Task<string> RunAsync(bool quick, string[] args)
    {
        var wanted = Option(args, "--sockets", quick ? 1000 : 20_000);
        var nodeCount = Option(args, "--nodes", 1);
        var rate = Option(args, "--rate", 500);
        var addresses = Option(args, "--addresses", 8);
        var users = Option(args, "--users", Math.Max(1, wanted / nodeCount / 10));
        var hold = Option(args, "--hold", quick ? 5 : HeartbeatSeconds + 15);
        var warmup = Option(args, "--warmup", quick ? 100 : 500);

        // The .NET runtime already raises its soft limit to the hard one; a larger hard limit needs
        // CAP_SYS_RESOURCE (or `ulimit -Hn` set before the run). Children (the servers, the workers) inherit it.
        var limit = WsClients.RaiseFileLimit((ulong)(wanted / nodeCount) + 1000);
        Console.WriteLine($"open-file limit of this process and its children: {limit}");

        // --server-env NAME=VALUE (repeatable) sets more of the servers' environment, e.g. to try GC settings.
        var environment = new Dictionary<string, string>
        {
            ["MERIDIAN_Gateway__HeartbeatIntervalSeconds"] = HeartbeatSeconds.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--server-env" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                environment[key] = value;
            }
        }

        // Each node is its own server process with its own SQLite data and port, sharing the token key: one process
        // may not open more files than its limit, so more sockets than that on one machine need more processes.
        var server = await ServerProcess.PublishAsync();
        var nodes = new List<Node>();
        try
        {
            for (var n = 0; n < nodeCount; n++)
            {
                nodes.Add(new Node(await ServerProcess.StartAsync(server, environment, $"bench-node-{n + 1}")));
            }

            var capped = false;
            var target = 0;
            foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
            {
                var share = (wanted * (n + 1) / nodeCount) - (wanted * n / nodeCount);
                node.Budget = (int)Math.Min(int.MaxValue, node.FileLimit - node.FilesAtStart - 64);
                node.Count = Math.Min(share, node.Budget);
                node.First = target;
                target += node.Count;
                if (node.Count < share)
                {
                    capped = true;
                    Console.WriteLine($"node {n + 1} may open {node.FileLimit} files, {node.FilesAtStart} already open: capping it at {node.Count} sockets");
                }
            }

            // Warm-up: JIT, connection pools, the first users provisioned; then the baseline with no socket open.
            foreach (var node in nodes)
            {
                await WarmUpAsync(node.Server.WsUri, warmup);
            }

            await Task.Delay(TimeSpan.FromSeconds(3));
            foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
            {
                node.RssBefore = await MedianRssAsync(node.Server.Pid, 5);
                Console.WriteLine($"node {n + 1}: RSS with 0 sockets after warming up with {warmup}: {Mib(node.RssBefore)}");
            }

            var workers = new List<Worker>();
            foreach (var node in nodes)
            {
                var count = (node.Count + SocketsPerWorker - 1) / SocketsPerWorker;
                for (var w = 0; w < count; w++)
                {
                    var first = node.First + (node.Count * w / count);
                    var size = node.First + (node.Count * (w + 1) / count) - first;
                    workers.Add(Worker.Start(node.Server.WsUri, first, size, rate * size / (double)Math.Max(1, target), addresses, users));
                }
            }

            foreach (var worker in workers)
            {
                await worker.ExpectAsync("ready");
            }

            var ramp = Stopwatch.StartNew();
            foreach (var worker in workers)
            {
                worker.Send("go");
            }

            var done = workers.Select(w => w.ExpectAsync("done")).ToList();
            while (!Task.WhenAll(done).IsCompleted)
            {
                await Task.WhenAny(Task.WhenAll(done), Task.Delay(1000));
                var line = new StringBuilder($"  {ramp.Elapsed.TotalSeconds,5:F0} s:");
                foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
                {
                    var rss = WsClients.Rss(node.Server.Pid);
                    node.RssPeak = Math.Max(node.RssPeak, rss);
                    line.Append($" node {n + 1} RSS {Mib(rss)}, {WsClients.OpenFiles(node.Server.Pid)} files open;");
                }

                Console.WriteLine(line);
            }

            ramp.Stop();
            var welcome = new Samples();
            var firstUse = new Samples();
            var tenths = Enumerable.Range(0, 10).Select(_ => new Samples()).ToArray();
            var opened = 0;
            var failed = 0;
            var errors = new List<string>();
            var timed = new List<(Node Node, int Index, double When, double Ms)>();
            foreach (var line in done.Select(d => d.Result))
            {
                var report = JsonDocument.Parse(line["done ".Length..]).RootElement;
                opened += report.GetProperty("opened").GetInt32();
                failed += report.GetProperty("failed").GetInt32();
                var first = report.GetProperty("first").GetInt32();
                var node = nodes.Last(n => n.First <= first);
                var times = report.GetProperty("welcome_ms");
                var count = times.GetArrayLength();
                var slot = 0;
                foreach (var value in times.EnumerateArray())
                {
                    // Workers ramp side by side, each at its share of the rate: a socket's slot in its worker's ramp
                    // over the worker's size is when in the ramp it was due.
                    if (value.GetDouble() is var ms and >= 0)
                    {
                        timed.Add((node, first + slot, (double)slot / count, ms));
                    }

                    slot++;
                }

                errors.AddRange(report.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!));
            }

            foreach (var (_, _, when, ms) in timed)
            {
                welcome.Add(TimeSpan.FromMilliseconds(ms));
                tenths[Math.Min(9, (int)(when * 10))].Add(TimeSpan.FromMilliseconds(ms));
            }

            // A user's first socket on a node provisions it there (the warm-up provisioned users below its size).
            foreach (var byUser in timed.Where(t => t.Index % users >= warmup).GroupBy(t => (t.Node, t.Index % users)))
            {
                firstUse.Add(TimeSpan.FromMilliseconds(byUser.MinBy(t => t.When).Ms));
            }

            Console.WriteLine($"ramp done in {ramp.Elapsed.TotalSeconds:F1} s: {opened} welcomed, {failed} failed; welcome {welcome.Summary()}");

            // Hold every socket idle through a heartbeat and ping cycle, then read the servers' memory.
            var samples = nodes.Select(_ => new List<long>()).ToList();
            for (var s = 0; s < hold; s++)
            {
                await Task.Delay(1000);
                foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
                {
                    samples[n].Add(WsClients.Rss(node.Server.Pid));
                    node.RssPeak = Math.Max(node.RssPeak, samples[n][^1]);
                }
            }

            foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
            {
                node.RssAfter = Median(samples[n].TakeLast(5));
                var health = JsonDocument.Parse(await node.Server.Http.GetStringAsync("/ws/health")).RootElement;
                node.Held = health.GetProperty("authenticated_connections").GetInt32();
            }

            var stillOpen = 0;
            foreach (var worker in workers)
            {
                worker.Send("count");
                stillOpen += int.Parse((await worker.ExpectAsync("open"))["open ".Length..], CultureInfo.InvariantCulture);
            }

            foreach (var worker in workers)
            {
                worker.Send("exit");
            }

            foreach (var worker in workers)
            {
                await worker.ExitAsync();
            }

            var serverHeld = nodes.Sum(n => n.Held);
            var before = nodes.Sum(n => n.RssBefore);
            var after = nodes.Sum(n => n.RssAfter);
            var perSocket = (after - before) / (double)Math.Max(1, serverHeld);
            var text = new StringBuilder();
            text.AppendLine(nodeCount == 1
                ? "### ws-capacity: authenticated idle sockets held by one server process, and server memory per socket"
                : $"### ws-capacity: authenticated idle sockets held by {nodeCount} server processes on one machine, and server memory per socket");
            text.AppendLine();
            text.AppendLine("| measurement | result |");
            text.AppendLine("|---|---|");
            text.AppendLine($"| sockets asked for / opened (welcomed) / failed | {wanted} / {opened} / {failed} |");
            text.AppendLine($"| held idle by the server{(nodeCount == 1 ? "" : "s")} after {hold} s (`/ws/health` authenticated) / still open at the clients | {serverHeld} / {stillOpen} |");
            text.AppendLine($"| users{(nodeCount == 1 ? "" : " per node")} / source addresses / client processes | {users} / 127.0.0.2–127.0.0.{addresses + 1} / {workers.Count} |");
            text.AppendLine($"| ramp | {rate} sockets/s asked, {opened / ramp.Elapsed.TotalSeconds:F0} sockets/s achieved ({ramp.Elapsed.TotalSeconds:F1} s) |");
            text.AppendLine($"| time to welcome during the ramp (connect + upgrade + token check + welcome){(nodeCount == 1 ? "" : ", all nodes")} | {welcome.Summary()} |");
            if (firstUse.Count > 0)
            {
                text.AppendLine($"| … of the first socket of each user (its token provisions the user: one more database write) | {firstUse.Summary()} |");
            }

            text.AppendLine($"| … p99 by tenth of the ramp | {string.Join(", ", tenths.Where(t => t.Count > 0).Select(t => t.Percentile(99).ToString("F0", CultureInfo.InvariantCulture)))} ms |");
            if (errors.Count > 0)
            {
                text.AppendLine($"| failures | {string.Join("; ", errors)} |");
            }

            foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
            {
                var label = nodeCount == 1 ? "server VmRSS" : $"node {n + 1} ({node.Held} sockets): VmRSS";
                text.AppendLine($"| {label}: 0 sockets (after a warm-up of {warmup}) → {node.Held} idle sockets (peak) | {Mib(node.RssBefore)} → {Mib(node.RssAfter)} ({Mib(node.RssPeak)}), " +
                                $"{(node.RssAfter - node.RssBefore) / (double)Math.Max(1, node.Held) / 1024:F1} KiB per socket |");
            }

            text.AppendLine($"| server memory per idle socket ((RSS after − RSS before{(nodeCount == 1 ? "" : ", all nodes")}) / sockets) | {perSocket / 1024:F1} KiB |");
            text.AppendLine();
            if (capped)
            {
                text.AppendLine($"A server process may open {nodes[0].FileLimit} files (`ulimit -Hn` of the run; raising it needs CAP_SYS_RESOURCE, " +
                                $"which this machine's container does not grant) and has ~{nodes[0].FilesAtStart} open before the first socket, so the run was capped at {target} sockets.");
            }

            if (nodeCount > 1)
            {
                text.AppendLine($"{nodeCount} server processes (nodes) on this machine, each with its own SQLite data and port and the same token key, " +
                                "the sockets spread evenly over them: one process may hold only its open-file limit minus its own files.");
            }

            var held = serverHeld >= 20_000;
            text.AppendLine($"Targets: ≥ 20,000 sockets{(nodeCount == 1 ? "" : " on this machine")} — {(held ? "met" : "NOT met")} ({serverHeld}); ≤ 16 KiB per socket — " +
                            $"{(perSocket <= 16 * 1024 ? "met" : "NOT met")} ({perSocket / 1024:F1} KiB); welcome p99 ≤ 50 ms — " +
                            $"{(welcome.Count > 0 && welcome.Percentile(99) <= 50 ? "met" : "NOT met")} ({(welcome.Count > 0 ? welcome.Percentile(99) : double.NaN):F1} ms).");
            text.AppendLine($"Command: `dotnet run -c Release --project bench/Meridian.Bench -- ws-capacity{(args.Length > 0 ? " " + string.Join(' ', args.Where(a => a != "--quick")) : "")}` " +
                            $"(open-file limit of the run: {limit}; see bench/README.md for raising it)");
            return text.ToString();
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.Server.DisposeAsync();
            }
        }
    }

    /// <summary>A worker process: opens its share of the sockets, paced, from its source addresses, keeps them
    /// open answering pings, and reports. Commands on stdin: <c>go</c>, <c>count</c>, <c>exit</c>.</summary>
    public static async Task<int> ClientAsync(string[] args)
    {
        var uri = new Uri(args[1]);
        var first = int.Parse(args[2], CultureInfo.InvariantCulture);
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        var rate = double.Parse(args[4], CultureInfo.InvariantCulture);
        var addresses = int.Parse(args[5], CultureInfo.InvariantCulture);
        var users = int.Parse(args[6], CultureInfo.InvariantCulture);

        var invokers = Enumerable.Range(0, addresses).Select(a => WsClients.InvokerFrom(IPAddress.Parse($"127.0.0.{a + 2}"))).ToArray();
        var tokens = new Dictionary<int, string>();
        for (var i = first; i < first + count; i++)
        {
            var user = i % users;
            if (!tokens.ContainsKey(user))
            {
                tokens[user] = WsClients.Token($"cap_{user}", TimeSpan.FromHours(3));
            }
        }

        // Warm this process up (JIT of the client stack, one connection from every source address) on users the
        // orchestrator's warm-up already provisioned, so the ramp measures the server and not a cold client.
        await Task.WhenAll(Enumerable.Range(0, addresses * 4).Select(async i =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var (socket, _) = await WsClients.ConnectAsync(uri, WsClients.Token($"cap_{i % 50}", TimeSpan.FromHours(1)), invokers[i % addresses], timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            socket.Dispose();
        }));

        var stdin = Console.In;
        Console.WriteLine("ready");
        if (await stdin.ReadLineAsync() != "go")
        {
            return 1;
        }

        var welcome = new double[count];
        var sockets = new ClientWebSocket?[count];
        var closed = 0;
        var failures = new Dictionary<string, int>();
        var started = Stopwatch.GetTimestamp();
        var opening = new List<Task>(count);
        using var stop = new CancellationTokenSource();
        for (var n = 0; n < count; n++)
        {
            var due = TimeSpan.FromSeconds(n / rate);
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var slot = n;
            var global = first + n;
            opening.Add(Task.Run(async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    var (socket, elapsed) = await WsClients.ConnectAsync(uri, tokens[global % users], invokers[global % addresses], timeout.Token);
                    welcome[slot] = elapsed.TotalMilliseconds;
                    sockets[slot] = socket;
                    _ = Task.Run(async () =>
                    {
                        if (await WsClients.DrainAsync(socket, stop.Token))
                        {
                            Interlocked.Increment(ref closed);
                        }
                    });
                }
                catch (Exception ex)
                {
                    welcome[slot] = double.NaN;
                    var key = ex.GetType().Name + ": " + (ex.InnerException?.Message ?? ex.Message);
                    lock (failures)
                    {
                        failures[key] = failures.GetValueOrDefault(key) + 1;
                    }
                }
            }));
        }

        await Task.WhenAll(opening);
        var ok = welcome.Where(w => !double.IsNaN(w)).ToArray();
        Console.WriteLine("done " + JsonSerializer.Serialize(new
        {
            opened = ok.Length,
            failed = count - ok.Length,
            first,
            welcome_ms = welcome.Select(w => double.IsNaN(w) ? -1 : Math.Round(w, 3)), // by socket, in ramp order; -1 failed
            errors = failures.Select(f => $"{f.Value}× {f.Key}"),
        }));

        while (await stdin.ReadLineAsync() is { } command)
        {
            if (command == "count")
            {
                Console.WriteLine($"open {sockets.Count(s => s is { State: WebSocketState.Open })}");
            }
            else if (command == "exit")
            {
                break;
            }
        }

        await stop.CancelAsync();
        foreach (var socket in sockets)
        {
            socket?.Abort();
        }

        return 0;
    }

    private static async Task WarmUpAsync(Uri uri, int count)
    {
        var sockets = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var (socket, _) = await WsClients.ConnectAsync(uri, WsClients.Token($"cap_{i}", TimeSpan.FromHours(1)), null, timeout.Token);
            return socket;
        }));
        await Task.WhenAll(sockets.Select(async s =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await s.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }

            s.Dispose();
        }));
    }

    private static async Task<long> MedianRssAsync(int pid, int samples)
    {
        var values = new List<long>();
        for (var i = 0; i < samples; i++)
        {
            values.Add(WsClients.Rss(pid));
            await Task.Delay(1000);
        }

        return Median(values);
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):F1} MiB";

    internal static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>One server process of the run, its share of the sockets and what was measured of it.</summary>
    private sealed class Node(ServerProcess server)
    {
        public ServerProcess Server { get; } = server;

        public long FileLimit { get; } = WsClients.FileLimitOf(server.Pid);

        public int FilesAtStart { get; } = WsClients.OpenFiles(server.Pid);

        public int Budget { get; set; }

        /// <summary>Its sockets are [First, First + Count) of the run's socket indices.</summary>
        public int First { get; set; }

        public int Count { get; set; }

        public long RssBefore { get; set; }

        public long RssAfter { get; set; }

        public long RssPeak { get; set; }

        public int Held { get; set; }
    }

    /// <summary>A client worker process and its stdout, line by line.</summary>
    private sealed class Worker
    {
        private readonly Process _process;
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        private Worker(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    _lines.Writer.TryWrite(line);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 } line)
                {
                    Console.Error.WriteLine($"[worker {process.Id}] {line}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public static Worker Start(Uri uri, int first, int count, double rate, int addresses, int users)
        {
            var start = SelfStart();
            foreach (var arg in new[] { "ws-capacity-client", uri.ToString(), Str(first), Str(count), rate.ToString("R", CultureInfo.InvariantCulture), Str(addresses), Str(users) })
            {
                start.ArgumentList.Add(arg);
            }

            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            return new Worker(Process.Start(start)!);
        }

        public void Send(string command) => _process.StandardInput.WriteLine(command);

        public async Task<string> ExpectAsync(string prefix)
        {
            await foreach (var line in _lines.Reader.ReadAllAsync())
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }

                Console.WriteLine($"[worker {_process.Id}] {line}");
            }

            throw new InvalidOperationException($"worker {_process.Id} ended before '{prefix}'");
        }

        public async Task ExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }

            _process.Dispose();
        }

        private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>This program again: its apphost, or <c>dotnet Meridian.Bench.dll</c>.</summary>
        private static ProcessStartInfo SelfStart()
        {
            var path = Environment.ProcessPath!;
            var start = new ProcessStartInfo(path) { UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(path) == "dotnet")
            {
                start.ArgumentList.Add(typeof(Worker).Assembly.Location);
            }

            return start;
        }
    }
}

/// <summary>The real server as its own process: a Release publish of src/Meridian.Server into artifacts/bench-server,
/// started on a free loopback port with SQLite in a temp folder, configured through MERIDIAN_ variables.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data;

    private ServerProcess(Process process, string data, int port)
    {
        _process = process;
        _data = data;
        WsUri = new Uri($"ws://127.0.0.1:{port}/ws");
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Pid => _process.Id;

    public Uri WsUri { get; }

    public HttpClient Http { get; }

    /// <summary>Publishes src/Meridian.Server (Release) once; returns the folder to start servers from.</summary>
    public static async Task<string> PublishAsync()
    {
        var root = Results.RepoRoot();
        var output = Path.Combine(root, "artifacts", "bench-server");
        Console.WriteLine($"publishing src/Meridian.Server (Release) to {output}");
        var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(root, "src", "Meridian.Server", "Meridian.Server.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "q"])
        { UseShellExecute = false })!;
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet publish of the server failed");
        }

        return output;
    }

    /// <summary>Starts a published server as node <paramref name="nodeId"/> (its own SQLite folder and port).</summary>
    public static async Task<ServerProcess> StartAsync(string output, IReadOnlyDictionary<string, string> settings, string nodeId)
    {
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("meridian-bench-ws-").FullName;
        var start = new ProcessStartInfo(Path.Combine(output, "Meridian.Server"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = data,
        };
        start.Environment["MERIDIAN_ENVIRONMENT"] = "Production";
        start.Environment["MERIDIAN_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["MERIDIAN_Server__DataDirectory"] = data;
        start.Environment["MERIDIAN_Auth__JwtSecret"] = WsClients.Secret;
        start.Environment["MERIDIAN_Logging__LogLevel__Default"] = "Warning";
        start.Environment["MERIDIAN_Runs__NodeId"] = nodeId;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, data, port);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited at start with code {process.ExitCode}");
            }

            try
            {
                if ((await server.Http.GetStringAsync("/ws/health")).Contains("\"healthy\"", StringComparison.Ordinal))
                {
                    return server;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private static void Echo(string? line)
    {
        if (line is { Length: > 0 })
        {
            Console.WriteLine("[server] " + line);
        }
    }

    private static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
