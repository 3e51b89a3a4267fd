using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Meridian.Server;
using Meridian.Server.Hosting;
using Meridian.Server.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Meridian.Bench;

/// <summary>Run events delivered per second to N sockets of one user, and their delivery latency, against a bare
/// Kestrel WebSocket broadcast server measured in the same run with the same frame size and socket count.
/// Meridian is hosted in this process (MeridianApp with a pipeline that emits <c>agent_response_delta</c> events as
/// fast as a window allows), so every event takes the real path: RunEmitter → RunEventWriter (SQLite append, group commit) → RunBus →
/// RunDelivery.Deliver → per-socket outbox → send loop → Kestrel. The baseline broadcasts the same bytes
/// through a per-socket channel and send loop and stores nothing. Both are driven the same way: at most
/// <see cref="Window"/> events not yet received by every socket (saturation), or a fixed event rate (latency).</summary>
internal static class WsFanoutBenchmark
{
    private const int Window = 256;
    private const string User = "fan_0";
    private const string Padding = "The quarterly spend on cloud services rose by 4.2% against the plan.";

    public static async Task<string> RunAsync(bool quick, string[] args)
    {
        int[] sizes = args.SkipWhile(a => a != "--sockets").Skip(1).FirstOrDefault() is { } list
            ? [.. list.Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture))]
            : quick ? [20, 100] : [100, 1000];
        var seconds = WsCapacityBenchmark.Option(args, "--seconds", quick ? 2 : 3);
        var rounds = WsCapacityBenchmark.Option(args, "--rounds", quick ? 2 : 9);
        var measure = TimeSpan.FromSeconds(seconds);

        var runs = WsCapacityBenchmark.Option(args, "--runs", 4);
        await using var meridian = await MeridianHost.StartAsync(runs);
        await using var baseline = await BaselineHost.StartAsync();
        var text = new StringBuilder();
        text.AppendLine("### ws-fanout: run events delivered to N sockets of one user, against a bare Kestrel WebSocket broadcast (same run)");
        text.AppendLine();
        text.AppendLine("| sockets | Meridian events/s (frames/s) | baseline events/s (frames/s) | ratio | paced at | Meridian latency | baseline latency |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        var verdicts = new List<string>();
        var frameSize = 0;
        foreach (var n in sizes)
        {
            await using var meridianClients = await Clients.ConnectAsync(meridian.WsUri, n, WsClients.Token(User, TimeSpan.FromHours(2)));
            await using var baselineClients = await Clients.ConnectAsync(baseline.WsUri, n, null);

            // Warm-up (JIT, pools, SQLite pages); the Meridian warm-up also yields the frame the baseline sends.
            await meridian.PhaseAsync(meridianClients, rate: null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(quick ? 1 : 2));
            var template = meridianClients.Template ?? throw new InvalidOperationException("no event reached the Meridian clients");
            frameSize = template.Length;
            baseline.Template = template;
            await baseline.PhaseAsync(baselineClients, rate: null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(quick ? 1 : 2));

            // Rounds of the two sides back to back, the order rotating every round: on a shared machine the load
            // drifts, so each round's ratio compares sides measured seconds apart, and the median of rounds is reported.
            var warm = TimeSpan.FromMilliseconds(500);
            var meridianSat = new List<Phase>();
            var baselineSat = new List<Phase>();
            var sides = new (Host Host, Clients Clients, List<Phase> Into)[]
            {
                (baseline, baselineClients, baselineSat), (meridian, meridianClients, meridianSat),
            };
            for (var r = 0; r < rounds; r++)
            {
                for (var k = 0; k < sides.Length; k++)
                {
                    var side = sides[(r + k) % sides.Length];
                    side.Into.Add(await side.Host.PhaseAsync(side.Clients, null, warm, measure));
                }

                Console.WriteLine($"N={n} round {r + 1}: Meridian {meridianSat[^1]}; baseline {baselineSat[^1]}");
            }

            var m = MedianBy(meridianSat, p => p.EventsPerSecond);
            var b = MedianBy(baselineSat, p => p.EventsPerSecond);
            var ratio = Median(meridianSat.Zip(baselineSat, (x, y) => x.EventsPerSecond / y.EventsPerSecond));

            // Latency at a fixed rate both sides sustain: half the slower side's saturated rate.
            var rate = Math.Max(1, Math.Round(Math.Min(m.EventsPerSecond, b.EventsPerSecond) / 2));
            var meridianPaced = new List<Phase>();
            var baselinePaced = new List<Phase>();
            for (var r = 0; r < rounds; r++)
            {
                if (r % 2 == 0)
                {
                    baselinePaced.Add(await baseline.PhaseAsync(baselineClients, rate, warm, measure));
                    meridianPaced.Add(await meridian.PhaseAsync(meridianClients, rate, warm, measure));
                }
                else
                {
                    meridianPaced.Add(await meridian.PhaseAsync(meridianClients, rate, warm, measure));
                    baselinePaced.Add(await baseline.PhaseAsync(baselineClients, rate, warm, measure));
                }

                Console.WriteLine($"N={n} paced {rate}/s round {r + 1}: Meridian {meridianPaced[^1]}; baseline {baselinePaced[^1]}");
            }

            var mp = MedianBy(meridianPaced, p => p.Latency.Percentile(99));
            var bp = MedianBy(baselinePaced, p => p.Latency.Percentile(99));
            var closed = meridianClients.Closed + baselineClients.Closed;
            text.AppendLine($"| {n} | {m.EventsPerSecond:F0} ({m.FramesPerSecond:F0}) | {b.EventsPerSecond:F0} ({b.FramesPerSecond:F0}) | {ratio:F2}× " +
                            $"| {rate:F0} events/s | p50 {mp.Latency.Percentile(50):F2} ms, p99 {mp.Latency.Percentile(99):F2} ms " +
                            $"| p50 {bp.Latency.Percentile(50):F2} ms, p99 {bp.Latency.Percentile(99):F2} ms |");
            text.AppendLine($"| {n}, saturated | latency p50 {m.Latency.Percentile(50):F1} ms, p99 {m.Latency.Percentile(99):F1} ms " +
                            $"| latency p50 {b.Latency.Percentile(50):F1} ms, p99 {b.Latency.Percentile(99):F1} ms | | | | |");
            text.AppendLine($"| {n}, per-round ratios | {string.Join(" ", meridianSat.Zip(baselineSat, (x, y) => (x.EventsPerSecond / y.EventsPerSecond).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))} | | | | | |");
            verdicts.Add($"N={n}: {ratio:F2}× — {(ratio >= 0.8 ? "met" : "NOT met")}" + (closed > 0 ? $" ({closed} sockets closed during the run)" : ""));
        }

        text.AppendLine();
        text.AppendLine($"Each cell is the median of {rounds} rounds of {seconds} s per side (after 0.5 s unmeasured), the two sides back to back in " +
                        $"an order rotating every round; the ratio is the median of the rounds' ratios. Frames of {frameSize} bytes " +
                        $"(an `agent_response_delta` event); at most {Window} events in flight when saturated. Meridian's events come from {runs} " +
                        "concurrent runs of the one user (a pipeline that emits deltas; every event goes through the event log's group commit to SQLite, then is published to " +
                        "all of the user's sockets); the baseline broadcasts the same bytes from one loop. Latency is from the timestamp the " +
                        "producer writes into the event (before Meridian stores it) to the client's receive, every frame counted; the paced rows " +
                        "send at half the slower side's saturated rate. Clients, Meridian (in-process MeridianApp, SQLite) and the baseline share this process.");
        text.AppendLine($"Target: ≥ 0.8× the baseline's events/s — {string.Join("; ", verdicts)}.");
        text.AppendLine($"Command: `dotnet run -c Release --project bench/Meridian.Bench -- ws-fanout{(args.Length > 0 ? " " + string.Join(' ', args.Where(a => a != "--quick")) : "")}`");
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static Phase MedianBy(List<Phase> phases, Func<Phase, double> key) => phases.OrderBy(key).ElementAt(phases.Count / 2);

    private static string Marker(long index, long timestamp) => $"@i={index:D10};t={timestamp:D19}@";

    /// <summary>Finds the marker of <see cref="Marker"/> in a frame.</summary>
    private static bool TryReadMarker(ReadOnlySpan<byte> frame, out long index, out long timestamp)
    {
        index = timestamp = 0;
        var at = frame.IndexOf("@i="u8);
        return at >= 0 && frame.Length >= at + 36
            && Utf8Parser.TryParse(frame.Slice(at + 3, 10), out index, out _)
            && Utf8Parser.TryParse(frame.Slice(at + 16, 19), out timestamp, out _);
    }

    /// <summary>One measured interval.</summary>
    private sealed record Phase(double EventsPerSecond, double FramesPerSecond, Samples Latency)
    {
        public override string ToString() =>
            $"{EventsPerSecond:F0} events/s ({FramesPerSecond:F0} frames/s), latency p50 {Latency.Percentile(50):F2} ms p99 {Latency.Percentile(99):F2} ms";
    }

    /// <summary>Paces a producer: hands out event indexes while at most <see cref="Window"/> events are not yet
    /// received by every socket, and at <c>rate</c> per second when one is given; counts what the clients get.</summary>
    private sealed class Driver(int sockets, double? rate) : IDisposable
    {
        private const int Ring = 4096;
        private readonly int[] _received = new int[Ring];
        private readonly SemaphoreSlim _credits = new(Window);
        private readonly CancellationTokenSource _stop = new();
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _next;
        private long _frames;
        private long _completed;

        public volatile bool Measuring;

        public long Frames => Interlocked.Read(ref _frames);

        public CancellationToken Stopped => _stop.Token;

        public void Stop() => _stop.Cancel();

        public void Dispose()
        {
            _credits.Dispose();
            _stop.Dispose();
        }

        /// <summary>The next event's index, or null once stopped.</summary>
        public async ValueTask<long?> NextAsync()
        {
            try
            {
                await _credits.WaitAsync(_stop.Token);
                if (rate is { } perSecond)
                {
                    var wait = TimeSpan.FromSeconds(Volatile.Read(ref _next) / perSecond) - Stopwatch.GetElapsedTime(_started);
                    if (wait > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait, _stop.Token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var index = Interlocked.Increment(ref _next) - 1;
            Volatile.Write(ref _received[index % Ring], 0);
            return index;
        }

        public void Received(long index, long timestamp, List<double> latencies)
        {
            if (Measuring)
            {
                latencies.Add(Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds);
            }

            Interlocked.Increment(ref _frames);
            if (Interlocked.Increment(ref _received[index % Ring]) == sockets)
            {
                Interlocked.Increment(ref _completed);
                _credits.Release();
            }
        }

        /// <summary>Waits (after <see cref="Stop"/>) until every event handed out reached every socket.</summary>
        public async Task DrainAsync()
        {
            var deadline = Stopwatch.StartNew();
            while (Interlocked.Read(ref _completed) < Volatile.Read(ref _next) && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }
        }
    }

    /// <summary>N client sockets, each with a receive loop that reports marked frames to the current driver.</summary>
    private sealed class Clients : IAsyncDisposable
    {
        private readonly List<ClientWebSocket> _sockets = [];
        private readonly List<List<double>> _latencies = [];
        private readonly List<Task> _loops = [];
        private readonly CancellationTokenSource _stop = new();
        private int _closed;

        public volatile Driver? Driver;

        public int Count => _sockets.Count;

        public int Closed => Volatile.Read(ref _closed);

        /// <summary>The first marked frame seen, as received.</summary>
        public byte[]? Template { get; private set; }

        public static async Task<Clients> ConnectAsync(Uri uri, int count, string? token)
        {
            var clients = new Clients();
            for (var i = 0; i < count; i += 50)
            {
                var batch = await Task.WhenAll(Enumerable.Range(i, Math.Min(50, count - i)).Select(async _ =>
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    if (token is not null)
                    {
                        return (await WsClients.ConnectAsync(uri, token, null, timeout.Token)).Socket;
                    }

                    var socket = new ClientWebSocket();
                    socket.Options.KeepAliveInterval = TimeSpan.Zero;
                    await socket.ConnectAsync(uri, timeout.Token);
                    return socket;
                }));
                foreach (var socket in batch)
                {
                    var latencies = new List<double>();
                    clients._sockets.Add(socket);
                    clients._latencies.Add(latencies);
                    clients._loops.Add(Task.Run(() => clients.ReceiveLoopAsync(socket, latencies)));
                }
            }

            return clients;
        }

        /// <summary>Every latency recorded since the last call.</summary>
        public Samples TakeLatencies()
        {
            var samples = new Samples();
            foreach (var list in _latencies)
            {
                lock (list)
                {
                    foreach (var ms in list)
                    {
                        samples.Add(TimeSpan.FromMilliseconds(ms));
                    }

                    list.Clear();
                }
            }

            return samples;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            foreach (var socket in _sockets)
            {
                socket.Abort();
            }

            await Task.WhenAll(_loops);
        }

        private async Task ReceiveLoopAsync(ClientWebSocket socket, List<double> latencies)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var total = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        // No token: one source shared by every client socket makes each receive contend on its
                        // registrations (client-side cost that would dilute both sides); DisposeAsync aborts the sockets.
                        result = await socket.ReceiveAsync(buffer.AsMemory(total), CancellationToken.None);
                        total += result.Count;
                    }
                    while (!result.EndOfMessage && total < buffer.Length);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Interlocked.Increment(ref _closed);
                        return;
                    }

                    var frame = buffer.AsSpan(0, total);
                    if (TryReadMarker(frame, out var index, out var timestamp) && Driver is { } driver)
                    {
                        Template ??= frame.ToArray();
                        lock (latencies)
                        {
                            driver.Received(index, timestamp, latencies);
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _closed);
                }
            }
        }
    }

    /// <summary>A producer side: starts a phase with a driver, measures after a warm-up, stops it.</summary>
    private abstract class Host
    {
        public async Task<Phase> PhaseAsync(Clients clients, double? rate, TimeSpan warmup, TimeSpan measure)
        {
            using var driver = new Driver(clients.Count, rate);
            clients.Driver = driver;
            var producing = ProduceAsync(driver);
            await Task.Delay(warmup);
            clients.TakeLatencies();
            var frames = driver.Frames;
            var clock = Stopwatch.StartNew();
            driver.Measuring = true;
            await Task.Delay(measure);
            driver.Measuring = false;
            var delivered = driver.Frames - frames;
            var elapsed = clock.Elapsed.TotalSeconds;
            driver.Stop();
            await producing;
            var latency = clients.TakeLatencies();
            await driver.DrainAsync(); // the tail of the phase arrives before the next one starts
            clients.Driver = null;
            return new Phase(delivered / (double)clients.Count / elapsed, delivered / elapsed, latency);
        }

        protected abstract Task ProduceAsync(Driver driver);
    }

    /// <summary>Meridian in this process, with <see cref="FanoutPipeline"/> as its pipeline; each phase is one run.</summary>
    private sealed class MeridianHost : Host, IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _data;
        private readonly FanoutPipeline _pipeline;

        private readonly int _runs;

        private MeridianHost(WebApplication app, string data, FanoutPipeline pipeline, int runs)
        {
            _runs = runs;
            _app = app;
            _data = data;
            _pipeline = pipeline;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            WsUri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        }

        public Uri WsUri { get; }

        public static async Task<MeridianHost> StartAsync(int runs)
        {
            var data = Directory.CreateTempSubdirectory("meridian-bench-fanout-").FullName;
            var pipeline = new FanoutPipeline();
            var app = MeridianApp.Build([], new Dictionary<string, string?>
            {
                ["urls"] = "http://127.0.0.1:0",
                ["Server:DataDirectory"] = data,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Auth:JwtSecret"] = WsClients.Secret,
                ["Runs:MaxConcurrentRunsPerUser"] = runs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, services =>
services.AddSingleton<IRunPipeline>(pipeline));
            await app.StartAsync();
            var state = app.Services.GetRequiredService<StartupState>();
            while (!state.IsStarted)
            {
                await Task.Delay(10);
            }

            return new MeridianHost(app, data, pipeline, runs);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            Directory.Delete(_data, recursive: true);
        }

        /// <summary>One phase: <c>runs</c> concurrent runs of the user, all handed indexes by the same driver.</summary>
        protected override async Task ProduceAsync(Driver driver)
        {
            var bus = _app.Services.GetRequiredService<RunBus>();
            var ended = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            var allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            using var subscription = bus.SubscribeUser(User, e =>
            {
                if (e.IsTerminal && ended.TryAdd(e.RunId, true) && ended.Count >= _runs)
                {
                    allEnded.TrySetResult();
                }
            });
            _pipeline.Driver = driver;
            var service = _app.Services.GetRequiredService<RunService>();
            for (var r = 0; r < _runs; r++)
            {
                var result = await service.StartAsync(User, new StartRunRequest("fan-out"), CancellationToken.None);
                started[result.RunId ?? throw new InvalidOperationException($"run refused: {result.ErrorCode} {result.Message}")] = true;
            }

            await allEnded.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
    }

    /// <summary>A run that writes one <c>agent_response_delta</c> per index the driver hands out, the producer's
    /// timestamp in its text, until the driver stops.</summary>
    private sealed class FanoutPipeline : IRunPipeline
    {
        public volatile Driver? Driver;

        public IReadOnlyList<string> Plan(string agent) => ["reporting"];

        public async Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
        {
            var driver = Driver!;
            while (await driver.NextAsync() is { } index)
            {
                await context.Emitter.DeltaAsync("reporting", Marker(index, Stopwatch.GetTimestamp()) + Padding, cancellationToken);
            }

            return new PipelineResult("done", new { }, RunUsage.None);
        }
    }

    /// <summary>The baseline: a bare Kestrel app whose sockets each get a channel and a send loop; a broadcaster
    /// writes each event's frame (Meridian's frame bytes with a fresh marker) to every socket's channel.</summary>
    private sealed class BaselineHost : Host, IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<Channel<byte[]>> _outboxes;

        private BaselineHost(WebApplication app, List<Channel<byte[]>> outboxes)
        {
            _app = app;
            _outboxes = outboxes;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            WsUri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        }

        public Uri WsUri { get; }

        public byte[]? Template { get; set; }

        public static async Task<BaselineHost> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var outboxes = new List<Channel<byte[]>>();
            app.UseWebSockets();
            app.Run(async context =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { SingleReader = true });
                lock (outboxes)
                {
                    outboxes.Add(outbox);
                }

                var sending = Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var frame in outbox.Reader.ReadAllAsync())
                        {
                            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                        }
                    }
                    catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
                    {
                    }
                });
                var buffer = new byte[1024];
                try
                {
                    while ((await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted)).MessageType != WebSocketMessageType.Close)
                    {
                    }
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                }

                lock (outboxes)
                {
                    outboxes.Remove(outbox);
                }

                outbox.Writer.TryComplete();
                await sending;
            });
            await app.StartAsync();
            return new BaselineHost(app, outboxes);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        protected override Task ProduceAsync(Driver driver) => Task.Run(async () =>
        {
            var template = Template!;
            var at = template.AsSpan().IndexOf("@i="u8);
            Channel<byte[]>[] outboxes;
            lock (_outboxes)
            {
                outboxes = [.. _outboxes];
            }

            while (await driver.NextAsync() is { } index)
            {
                var frame = template.ToArray();
                Encoding.ASCII.GetBytes(Marker(index, Stopwatch.GetTimestamp()), frame.AsSpan(at));
                foreach (var outbox in outboxes)
                {
                    outbox.Writer.TryWrite(frame);
                }
            }
        });
    }
}
