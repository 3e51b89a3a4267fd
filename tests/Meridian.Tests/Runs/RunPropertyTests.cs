using System.Collections.Concurrent;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Server.Tools;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Runs;

/// <summary>Many random runs through the real runtime: each stage succeeds, fails, throws, fails transiently or
/// hangs past its timeout; some runs are stopped at a random moment; subscribers join and leave, and readers
/// resume at random seqs. Every §2 invariant must hold in what was stored and in what each reader received.</summary>
public sealed class RunPropertyTests
{
    private static readonly string[] Stages = ["triage", "data", "optimization", "actions", "reporting"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Random_runs_keep_every_invariant_for_every_subscriber_and_in_storage(StorageProvider provider)
    {
        var pipeline = new ScriptedPipeline(RandomWorkAsync, Stages);
        await using var harness = await RuntimeHarness.StartAsync(pipeline, provider, new Dictionary<string, string?>
        {
            ["Runs:StageTimeoutSeconds"] = "1",
            ["Runs:RetryDelayMilliseconds"] = "1",
            ["Runs:MaxConcurrentRunsPerUser"] = "4",
            ["Runs:MaxQueuedRunsPerUser"] = "100",
        });
        var live = new ConcurrentDictionary<string, ConcurrentQueue<RunEvent>>();
        using var alice = harness.Server.Service<RunBus>().SubscribeUser("user_a", e => live.GetOrAdd(e.RunId, _ => new()).Enqueue(e));
        using var bob = harness.Server.Service<RunBus>().SubscribeUser("user_b", e => throw new InvalidOperationException($"user_b received {e.RunId}"));
        var random = new Random(provider == StorageProvider.Sqlite ? 2026 : 1121);
        var count = provider == StorageProvider.Sqlite ? 40 : 24;

        var runIds = new List<string>();
        for (var i = 0; i < count; i++)
        {
            runIds.Add(await harness.StartAsync("user_a", $"seed {random.Next()}"));
        }

        var readers = runIds.SelectMany(id => Enumerable.Range(0, 2).Select(_ => ResumeAsync(harness, id, random.Next(0, 6), random.Next(0, 40)))).ToList();
        var stoppers = runIds.Where(_ => random.Next(4) == 0).Select(id => StopLaterAsync(harness, id, random.Next(0, 60))).ToList();
        await Task.WhenAll(stoppers);
        foreach (var id in runIds)
        {
            await harness.EndedAsync(id);
        }

        foreach (var (runId, after, received) in await Task.WhenAll(readers))
        {
            var stored = await harness.EventsAsync(runId);
            received.ShouldBe(stored.Select(e => e.GetProperty("seq").GetInt64()).Where(s => s > after).ToList(), $"{runId} resumed after {after}");
        }

        foreach (var runId in runIds)
        {
            var stored = await harness.EventsAsync(runId);
            RunInvariants.Violations(stored).ShouldBeEmpty(runId);
            RunInvariants.Violations(live[runId].Select(e => RunInvariants.Parse(e.Json)).ToList()).ShouldBeEmpty($"{runId} live");
            var run = await harness.Runs.GetAsync("user_a", runId, CancellationToken.None);
            run!.Status.ShouldBe(stored[^1].GetProperty("type").GetString() switch
            {
                "agent_completed" => RunStatus.Completed,
                "agent_stopped" => RunStatus.Stopped,
                _ => RunStatus.Failed,
            });
        }
    }

    private static async Task<(string RunId, long After, List<long> Received)> ResumeAsync(RuntimeHarness harness, string runId, long after, int delayMs)
    {
        await Task.Delay(delayMs);
        var run = await harness.Runs.GetAsync("user_a", runId, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<long>();
        await foreach (var e in harness.Runs.EventsAsync(run!, after, timeout.Token))
        {
            received.Add(e.Seq);
        }

        return (runId, after, received);
    }

    private static async Task StopLaterAsync(RuntimeHarness harness, string runId, int delayMs)
    {
        await Task.Delay(delayMs);
        await harness.Runs.StopAsync("user_a", runId, "random stop");
    }

    private static async Task<PipelineResult> RandomWorkAsync(PipelineContext ctx, CancellationToken ct)
    {
        var random = new Random(int.Parse(ctx.Input["seed ".Length..]));
        foreach (var stage in Stages.Where(_ => random.Next(5) > 0))
        {
            var behaviour = random.Next(10);
            var transientLeft = random.Next(0, 4);
            await ctx.StageAsync(stage, $"{stage} begins", async stageToken =>
            {
                for (var t = random.Next(0, 3); t > 0; t--)
                {
                    var roll = random.Next(4);
                    try
                    {
                        await ctx.Emitter.ToolAsync(stage, "tool", new { roll }, async toolToken =>
                        {
                            await Task.Delay(random.Next(0, 4), toolToken);
                            return roll == 0 ? throw new InvalidOperationException("tool broke") : ToolResult<object?>.Success("ok", new { roll });
                        }, stageToken);
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }

                switch (behaviour)
                {
                    case 0:
                        throw new InvalidOperationException("stage broke");
                    case 1 when transientLeft-- > 0:
                        throw new TransientException("provider 503");
                    case 2:
                        await Task.Delay(Timeout.Infinite, stageToken); // past the stage timeout
                        break;
                }

                await ctx.Emitter.DeltaAsync(stage, "text", stageToken);
                return new StageResult<int>(behaviour, "done");
            }, ct);
        }

        if (random.Next(12) == 0)
        {
            throw new InvalidOperationException("pipeline bug");
        }

        return ScriptedPipeline.Done();
    }
}
