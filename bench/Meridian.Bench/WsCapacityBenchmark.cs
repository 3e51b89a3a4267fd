using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Meridian.Bench;

/// <summary>Authenticated idle sockets one server process holds, and its memory per socket. The real server runs
/// as its own process (a Release publish of src/Meridian.Server, SQLite in a temp folder); client worker processes
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
        var rate = Option(args, "--rate", 500);
        var addresses = Option(args, "--addresses", 8);
        var users = Option(args, "--users", Math.Max(1, wanted / 10));
        var hold = Option(args, "--hold", quick ? 5 : HeartbeatSeconds + 15);
        var warmup = Option(args, "--warmup", quick ? 100 : 500);

        // The .NET runtime already raises its soft limit to the hard one; a larger hard limit needs
        // CAP_SYS_RESOURCE (or `ulimit -Hn` set before the run). Children (the server, the workers) inherit it.
        var limit = WsClients.RaiseFileLimit((ulong)wanted + 1000);
        Console.WriteLine($"open-file limit of this process and its children: {limit}");

        // --server-env NAME=VALUE (repeatable) sets more of the server's environment, e.g. to try GC settings.
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

        var server = await ServerProcess.StartAsync(environment);
        try
        {
            var serverLimit = WsClients.FileLimitOf(server.Pid);
            var budget = (int)Math.Min(int.MaxValue, serverLimit - WsClients.OpenFiles(server.Pid) - 64);
            var target = Math.Min(wanted, budget);
            if (target < wanted)
            {
                Console.WriteLine($"the server may open {serverLimit} files, {WsClients.OpenFiles(server.Pid)} already open: capping at {target} sockets");
            }

            // Warm-up: JIT, connection pools, the first users provisioned; then the baseline with no socket open.
            await WarmUpAsync(server.WsUri, warmup);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var before = await MedianRssAsync(server.Pid, 5);
            Console.WriteLine($"server RSS with 0 sockets after warming up with {warmup}: {Mib(before)}");

            var workerCount = (target + SocketsPerWorker - 1) / SocketsPerWorker;
            var workers = new List<Worker>();
            for (var w = 0; w < workerCount; w++)
            {
                var first = target * w / workerCount;
                var count = (target * (w + 1) / workerCount) - first;
                workers.Add(Worker.Start(server.WsUri, first, count, rate / (double)workerCount, addresses, users));
            }

            foreach (var worker in workers)
            {
                await worker.ExpectAsync("ready");
            }

            var ramp = Stopwatch.StartNew();
            var rssPeak = 0L;
            foreach (var worker in workers)
            {
                worker.Send("go");
            }

            var done = workers.Select(w => w.ExpectAsync("done")).ToList();
            while (!Task.WhenAll(done).IsCompleted)
            {
                await Task.WhenAny(Task.WhenAll(done), Task.Delay(1000));
                rssPeak = Math.Max(rssPeak, WsClients.Rss(server.Pid));
                Console.WriteLine($"  {ramp.Elapsed.TotalSeconds,5:F0} s: server RSS {Mib(WsClients.Rss(server.Pid))}, {WsClients.OpenFiles(server.Pid)} files open");
            }

            ramp.Stop();
            var welcome = new Samples();
            var firstUse = new Samples();
            var tenths = Enumerable.Range(0, 10).Select(_ => new Samples()).ToArray();
            var opened = 0;
            var failed = 0;
            var errors = new List<string>();
            foreach (var line in done.Select(d => d.Result))
            {
                var report = JsonDocument.Parse(line["done ".Length..]).RootElement;
                opened += report.GetProperty("opened").GetInt32();
                failed += report.GetProperty("failed").GetInt32();
                var index = report.GetProperty("first").GetInt32();
                foreach (var value in report.GetProperty("welcome_ms").EnumerateArray())
                {
                    var ms = value.GetDouble();
                    if (ms >= 0)
                    {
                        welcome.Add(TimeSpan.FromMilliseconds(ms));
                        tenths[Math.Min(9, index * 10 / target)].Add(TimeSpan.FromMilliseconds(ms));
                        if (index >= warmup && index < users)
                        {
                            firstUse.Add(TimeSpan.FromMilliseconds(ms)); // this socket's token provisioned its user
                        }
                    }

                    index++;
                }

                errors.AddRange(report.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!));
            }

            Console.WriteLine($"ramp done in {ramp.Elapsed.TotalSeconds:F1} s: {opened} welcomed, {failed} failed; welcome {welcome.Summary()}");

            // Hold every socket idle through a heartbeat and ping cycle, then read the server's memory.
            var rss = new List<long>();
            for (var s = 0; s < hold; s++)
            {
                await Task.Delay(1000);
                rss.Add(WsClients.Rss(server.Pid));
                rssPeak = Math.Max(rssPeak, rss[^1]);
            }

            var after = Median(rss.TakeLast(5));
            var health = JsonDocument.Parse(await server.Http.GetStringAsync("/ws/health")).RootElement;
            var serverHeld = health.GetProperty("authenticated_connections").GetInt32();
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

            var perSocket = (after - before) / (double)Math.Max(1, serverHeld);
            var text = new StringBuilder();
            text.AppendLine("### ws-capacity: authenticated idle sockets held by one server process, and server memory per socket");
            text.AppendLine();
            text.AppendLine("| measurement | result |");
            text.AppendLine("|---|---|");
            text.AppendLine($"| sockets asked for / opened (welcomed) / failed | {wanted} / {opened} / {failed} |");
            text.AppendLine($"| held idle by the server after {hold} s (`/ws/health` authenticated) / still open at the clients | {serverHeld} / {stillOpen} |");
            text.AppendLine($"| users / source addresses / client processes | {users} / 127.0.0.2–127.0.0.{addresses + 1} / {workerCount} |");
            text.AppendLine($"| ramp | {rate} sockets/s asked, {opened / ramp.Elapsed.TotalSeconds:F0} sockets/s achieved ({ramp.Elapsed.TotalSeconds:F1} s) |");
            text.AppendLine($"| time to welcome during the ramp (connect + upgrade + token check + welcome) | {welcome.Summary()} |");
            if (firstUse.Count > 0)
            {
                text.AppendLine($"| … of the first socket of each user (its token provisions the user: one more database write) | {firstUse.Summary()} |");
            }

            text.AppendLine($"| … p99 by tenth of the ramp | {string.Join(", ", tenths.Where(t => t.Count > 0).Select(t => t.Percentile(99).ToString("F0", CultureInfo.InvariantCulture)))} ms |");
            if (errors.Count > 0)
            {
                text.AppendLine($"| failures | {string.Join("; ", errors)} |");
            }
            text.AppendLine($"| server VmRSS: 0 sockets (after a warm-up of {warmup}) → {serverHeld} idle sockets (peak) | {Mib(before)} → {Mib(after)} ({Mib(rssPeak)}) |");
            text.AppendLine($"| server memory per idle socket ((RSS after − RSS before) / sockets) | {perSocket / 1024:F1} KiB |");
            text.AppendLine();
            if (target < wanted)
            {
                text.AppendLine($"The server process may open {serverLimit} files (`ulimit -Hn` of the run; raising it needs CAP_SYS_RESOURCE, " +
                                $"which this machine's container does not grant) and has ~{serverLimit - budget - 64} open before the first socket, so the run was capped at {target} sockets.");
            }

            var held = serverHeld >= 20_000;
            text.AppendLine($"Targets: ≥ 20,000 sockets — {(held ? "met" : "NOT met")} ({serverHeld}); ≤ 16 KiB per socket — " +
                            $"{(perSocket <= 16 * 1024 ? "met" : "NOT met")} ({perSocket / 1024:F1} KiB); welcome p99 ≤ 50 ms — " +
                            $"{(welcome.Count > 0 && welcome.Percentile(99) <= 50 ? "met" : "NOT met")} ({(welcome.Count > 0 ? welcome.Percentile(99) : double.NaN):F1} ms).");
            text.AppendLine($"Command: `dotnet run -c Release --project bench/Meridian.Bench -- ws-capacity{(args.Length > 0 ? " " + string.Join(' ', args.Where(a => a != "--quick")) : "")}` " +
                            $"(open-file limit of the run: {limit}; see bench/README.md for raising it)");
            return text.ToString();
        }
        finally
        {
            await server.DisposeAsync();
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

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
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
