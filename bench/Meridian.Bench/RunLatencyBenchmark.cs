using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Meridian.Server.Runs;
using Meridian.Server.Storage;

namespace Meridian.Bench;

/// <summary>User message → <c>agent_started</c> latency and run throughput, with a one-stage pipeline that does no
/// work, on the embedded SQLite store. Baselines measured in the same run: one durable event append (the least an
/// accepted message costs, since an event is stored before it is sent) for latency, and the event log alone (the
/// same four events per run written by an emitter, without admission, scheduling, thread and message writes) for
/// throughput.</summary>
internal static class RunLatencyBenchmark
{
    private const int Users = 20;
    private const string BaselineThread = "bench_thread";

    public static async Task<string> RunAsync(bool quick)
    {
        var samples = quick ? 200 : 2000;
        var seconds = quick ? 3 : 10;
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Runs:MaxConcurrentRunsPerUser"] = "10",
            ["Runs:MaxQueuedRunsPerUser"] = "100",
        }, services => services.AddSingleton<IRunPipeline>(new TrivialPipeline()));
        await AddUsersAsync(server.Service<Database>());
        var tracker = new Tracker(server.Service<RunBus>());
        var runs = server.Service<RunService>();
        var store = server.Service<RunEventStore>();
        var runStore = server.Service<RunStore>();

        // Warm up both paths (JIT, connection pool, SQLite page cache).
        await MeasureAppendAsync(store, runStore, 200);
        await MeasureStartAsync(runs, tracker, 200);

        var append = await MeasureAppendAsync(store, runStore, samples);
        var start = await MeasureStartAsync(runs, tracker, samples);
        var eventLog = await EventLogThroughputAsync(server.Service<IRunEventSink>(), runStore, TimeSpan.FromSeconds(seconds));
        var runtime = await RuntimeThroughputAsync(runs, tracker, TimeSpan.FromSeconds(seconds));

        var text = new StringBuilder();
        text.AppendLine("### runs: user message → agent_started, and run throughput (SQLite, one-stage pipeline doing no work)");
        text.AppendLine();
        text.AppendLine("| measurement | result | baseline (same run) | ratio |");
        text.AppendLine("|---|---|---|---|");
        text.AppendLine($"| message → agent_started, one user, sequential | {start.Summary()} | one durable event append: {append.Summary()} | p99 {start.Percentile(99) / append.Percentile(99):F1}× |");
        text.AppendLine($"| runs completed per second, {Users} users, {seconds} s | {runtime:F0} runs/s | event log alone (4 events/run): {eventLog:F0} runs/s | {runtime / eventLog:F2}× |");
        text.AppendLine();
        text.AppendLine($"Target: message → agent_started p99 ≤ 5 ms — {(start.Percentile(99) <= 5 ? "met" : "NOT met")} ({start.Percentile(99):F3} ms).");
        text.AppendLine("Command: `dotnet run -c Release --project bench/Meridian.Bench -- runs`");
        return text.ToString();
    }

    /// <summary>The benchmark's users and the thread of the append baseline.</summary>
    private static async Task AddUsersAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        for (var u = 0; u < Users; u++)
        {
            await connection.ExecuteAsync("INSERT INTO users (id, created_at) VALUES (@id, 0)", new { id = $"bench_{u}" });
        }

        await connection.ExecuteAsync("INSERT INTO threads (id, user_id, created_at, updated_at) VALUES (@id, 'bench_0', 0, 0)", new { id = BaselineThread });
    }

    private static async Task<Samples> MeasureAppendAsync(RunEventStore store, RunStore runs, int count)
    {
        var run = await runs.CreateAsync(BaselineThread, "bench_0", "supervisor", "baseline", "bench", TimeSpan.FromMinutes(5), CancellationToken.None);
        var payload = Encoding.UTF8.GetBytes("{\"type\":\"agent_thinking\"}");
        var samples = new Samples();
        for (var seq = 1; seq <= count; seq++)
        {
            var started = Stopwatch.GetTimestamp();
            await store.AppendAsync(new RunEvent(run.Id, run.ThreadId, run.UserId, seq, "agent_thinking", payload), CancellationToken.None);
            samples.Add(started);
        }

        return samples;
    }

    private static async Task<Samples> MeasureStartAsync(RunService runs, Tracker tracker, int count)
    {
        var samples = new Samples();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await runs.StartAsync("bench_0", new StartRunRequest("How much do we spend?"), CancellationToken.None);
            var run = tracker.For(result.RunId!);
            samples.Add(TimeSpan.FromTicks((long)((await run.Started.Task - started) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency))));
            await run.Ended.Task;
        }

        return samples;
    }

    private static async Task<double> RuntimeThroughputAsync(RunService runs, Tracker tracker, TimeSpan duration)
    {
        var completed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Users).Select(u => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var result = await runs.StartAsync($"bench_{u}", new StartRunRequest("How much do we spend?"), CancellationToken.None);
                await tracker.For(result.RunId!).Ended.Task;
                Interlocked.Increment(ref completed);
            }
        })));
        return completed / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> EventLogThroughputAsync(IRunEventSink sink, RunStore runs, TimeSpan duration)
    {
        var completed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Users).Select(u => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var row = await runs.CreateAsync(BaselineThread, "bench_0", "supervisor", "x", "bench", TimeSpan.FromMinutes(5), CancellationToken.None);
                await using var emitter = await RunEmitter.StartAsync(row.Identity(Stopwatch.GetTimestamp()), sink, TimeProvider.System, "supervisor", "x", ["triage"], CancellationToken.None);
                var stage = await emitter.BeginStageAsync("triage", "x", CancellationToken.None);
                await stage.CompleteAsync("completed", "x", CancellationToken.None);
                await emitter.CompleteAsync("x", new { }, RunUsage.None, () => Task.CompletedTask, CancellationToken.None);
                Interlocked.Increment(ref completed);
            }
        })));
        return completed / clock.Elapsed.TotalSeconds;
    }

    /// <summary>When each run's agent_started and terminal events were published (Stopwatch timestamps).</summary>
    private sealed class Tracker
    {
        private readonly ConcurrentDictionary<string, RunTimes> _runs = new();

        public Tracker(RunBus bus)
        {
            for (var u = 0; u < Users; u++)
            {
                bus.SubscribeUser($"bench_{u}", e =>
                {
                    var now = Stopwatch.GetTimestamp();
                    var times = For(e.RunId);
                    if (e.Type == RunEventTypes.AgentStarted)
                    {
                        times.Started.TrySetResult(now);
                    }
                    else if (e.IsTerminal)
                    {
                        times.Ended.TrySetResult(now);
                    }
                });
            }
        }

        public RunTimes For(string runId) => _runs.GetOrAdd(runId, _ => new RunTimes());
    }

    private sealed class RunTimes
    {
        public TaskCompletionSource<long> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<long> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class TrivialPipeline : IRunPipeline
    {
        public IReadOnlyList<string> Plan(string agent) => ["triage"];

        public async Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
        {
            await context.StageAsync("triage", "nothing to do", _ => Task.FromResult(new StageResult<int>(0, "done")), cancellationToken);
            return new PipelineResult("done", new { }, RunUsage.None);
        }
    }
}
