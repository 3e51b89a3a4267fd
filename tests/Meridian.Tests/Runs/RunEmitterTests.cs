using System.Collections.Concurrent;
using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Server.Tools;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Runs;

public sealed class RunEmitterTests
{
    private static readonly string[] Stages = ["triage", "data", "optimization", "actions", "reporting"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Random_runs_keep_every_invariant_in_what_subscribers_receive_and_in_what_is_stored(StorageProvider provider)
    {
        await using var log = await RunLogHarness.CreateAsync(provider);
        var random = new Random(provider == StorageProvider.Sqlite ? 7 : 11);
        var received = new ConcurrentDictionary<string, ConcurrentQueue<RunEvent>>();
        using var userSubscription = log.Bus.SubscribeUser("user_a", e => received.GetOrAdd(e.RunId, _ => new()).Enqueue(e));
        using var otherUser = log.Bus.SubscribeUser("user_b", (RunEvent e) => throw new InvalidOperationException("delivered to the wrong user"));

        var runs = Enumerable.Range(0, provider == StorageProvider.Sqlite ? 120 : 40).Select(i => random.Next()).ToList();
        foreach (var batch in runs.Chunk(8))
        {
            await Task.WhenAll(batch.Select(seed => RandomRunAsync(log, new Random(seed))));
        }

        received.Count.ShouldBe(runs.Count);
        foreach (var (runId, events) in received)
        {
            var stored = await log.Store.ReadAsync(runId, 0, 10_000, TestContext.Current.CancellationToken);
            var live = events.Select(e => RunInvariants.Parse(e.Json)).ToList();
            RunInvariants.Violations(live).ShouldBeEmpty(runId);
            stored.Select(s => s.Payload).ShouldBe(events.Select(e => System.Text.Encoding.UTF8.GetString(e.Json)), "stored == published, in order");
        }
    }

    [Fact]
    public async Task A_run_subscriber_that_joins_late_and_leaves_sees_a_contiguous_slice()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var run = await log.NewRunAsync();
        var seen = new ConcurrentQueue<long>();
        await using var emitter = await RunEmitter.StartAsync(run, log.Sink, log.Clock, "supervisor", "hello", Stages, TestContext.Current.CancellationToken);
        await emitter.ThinkingAsync("triage", "one", TestContext.Current.CancellationToken);
        await emitter.FlushAsync(TestContext.Current.CancellationToken);

        var subscription = log.Bus.SubscribeRun(run.RunId, e => seen.Enqueue(e.Seq));
        await emitter.ThinkingAsync("triage", "two", TestContext.Current.CancellationToken);
        await emitter.ThinkingAsync("triage", "three", TestContext.Current.CancellationToken);
        await emitter.FlushAsync(TestContext.Current.CancellationToken);
        subscription.Dispose();
        await emitter.CompleteAsync("done", new { }, RunUsage.None, () => Task.CompletedTask, TestContext.Current.CancellationToken);

        seen.ShouldBe([3L, 4L]);
    }

    [Fact]
    public async Task Nothing_is_accepted_or_stored_after_the_terminal_event()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var run = await log.NewRunAsync();
        await using var emitter = await RunEmitter.StartAsync(run, log.Sink, log.Clock, "supervisor", "hello", Stages, TestContext.Current.CancellationToken);

        (await emitter.StopAsync("user asked", TestContext.Current.CancellationToken)).ShouldBeTrue();
        var replyStored = false;
        (await emitter.CompleteAsync("late", new { }, RunUsage.None, () => Task.FromResult(replyStored = true), TestContext.Current.CancellationToken)).ShouldBeFalse();
        replyStored.ShouldBeFalse("a run that was stopped first keeps no reply");
        (await emitter.FailAsync(ErrorCodes.PipelineError, "late", false, TestContext.Current.CancellationToken)).ShouldBeFalse();
        await Should.ThrowAsync<RunEndedException>(() => emitter.ThinkingAsync("triage", "late", TestContext.Current.CancellationToken));
        await Should.ThrowAsync<RunEndedException>(() => emitter.BeginStageAsync("data", "late", TestContext.Current.CancellationToken));

        var stored = await log.Store.ReadAsync(run.RunId, 0, 100, TestContext.Current.CancellationToken);
        stored.Select(s => s.Type).ShouldBe([RunEventTypes.AgentStarted, RunEventTypes.AgentStopped]);
    }

    [Fact]
    public async Task The_reply_is_stored_before_agent_completed_is_published()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var run = await log.NewRunAsync();
        var published = new ConcurrentQueue<string>();
        using var subscription = log.Bus.SubscribeRun(run.RunId, e => published.Enqueue(RunInvariants.Parse(e.Json).GetProperty("type").GetString()!));
        await using var emitter = await RunEmitter.StartAsync(run, log.Sink, log.Clock, "supervisor", "hello", Stages, TestContext.Current.CancellationToken);
        string[]? publishedWhenStored = null;

        (await emitter.CompleteAsync("report", new { }, RunUsage.None, () =>
        {
            publishedWhenStored = [.. published];
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken)).ShouldBeTrue();

        publishedWhenStored.ShouldBe([RunEventTypes.AgentStarted]);
        published.ShouldBe([RunEventTypes.AgentStarted, RunEventTypes.AgentCompleted]);
    }

    [Fact]
    public async Task A_tool_that_throws_still_completes_its_call_with_error_status()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var run = await log.NewRunAsync();
        await using var emitter = await RunEmitter.StartAsync(run, log.Sink, log.Clock, "supervisor", "hello", Stages, TestContext.Current.CancellationToken);
        var stage = await emitter.BeginStageAsync("data", "Measuring usage", TestContext.Current.CancellationToken);

        await Should.ThrowAsync<InvalidOperationException>(() => emitter.ToolAsync<object?>("data", "usage_query", new { days = 30 },
            _ => throw new InvalidOperationException("no records table"), TestContext.Current.CancellationToken));
        await stage.CompleteAsync("failed", "usage_query failed", TestContext.Current.CancellationToken);
        await emitter.CompleteAsync("report", new { }, RunUsage.None, () => Task.CompletedTask, TestContext.Current.CancellationToken);

        var events = (await log.Store.ReadAsync(run.RunId, 0, 100, TestContext.Current.CancellationToken)).Select(e => RunInvariants.Parse(e.Payload)).ToList();
        RunInvariants.Violations(events).ShouldBeEmpty();
        var completed = events.Single(e => e.GetProperty("type").GetString() == RunEventTypes.ToolCompleted);
        completed.GetProperty("status").GetString().ShouldBe("error");
        completed.GetProperty("result").GetString().ShouldBe("no records table");
        events.Single(e => e.GetProperty("type").GetString() == RunEventTypes.ToolExecuting)
            .GetProperty("parameters").GetProperty("days").GetInt32().ShouldBe(30);
    }

    [Fact]
    public async Task Stopping_during_a_tool_call_closes_the_call_and_the_stage_before_agent_stopped()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var run = await log.NewRunAsync();
        await using var emitter = await RunEmitter.StartAsync(run, log.Sink, log.Clock, "supervisor", "hello", Stages, TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        await emitter.BeginStageAsync("data", "Measuring usage", TestContext.Current.CancellationToken);
        var inTool = new TaskCompletionSource();
        var tool = emitter.ToolAsync("data", "usage_query", null, async ct =>
        {
            inTool.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return ToolResult<object?>.Success("never");
        }, cancel.Token);
        await inTool.Task;

        await emitter.StopAsync("user asked", TestContext.Current.CancellationToken);
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => tool);

        var events = (await log.Store.ReadAsync(run.RunId, 0, 100, TestContext.Current.CancellationToken)).Select(e => RunInvariants.Parse(e.Payload)).ToList();
        RunInvariants.Violations(events).ShouldBeEmpty();
        events.Select(e => e.GetProperty("type").GetString()).ShouldBe(
        [
            RunEventTypes.AgentStarted, RunEventTypes.SubagentStarted, RunEventTypes.ToolExecuting,
            RunEventTypes.ToolCompleted, RunEventTypes.SubagentCompleted, RunEventTypes.AgentStopped,
        ]);
        events[3].GetProperty("status").GetString().ShouldBe("error");
        events[4].GetProperty("status").GetString().ShouldBe("failed");
    }

    [Fact]
    public async Task A_stage_silent_for_1_5_seconds_gets_agent_thinking_progress()
    {
        var clock = new ManualClock();
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite, clock);
        var run = await log.NewRunAsync();
        await using var emitter = await RunEmitter.StartAsync(run, log.Sink, clock, "supervisor", "hello", Stages, TestContext.Current.CancellationToken);
        await emitter.BeginStageAsync("optimization", "Computing savings", TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromSeconds(1));
        emitter.Seq.ShouldBe(2, "one second of silence is allowed");
        clock.Advance(TimeSpan.FromSeconds(0.5));
        await WaitForSeq(emitter, 3);
        clock.Advance(TimeSpan.FromSeconds(1));
        emitter.Seq.ShouldBe(3, "the progress event restarted the silence");
        clock.Advance(TimeSpan.FromSeconds(0.5));
        await WaitForSeq(emitter, 4);
        await emitter.FlushAsync(TestContext.Current.CancellationToken);

        var thinking = RunInvariants.Parse((await log.Store.ReadAsync(run.RunId, 2, 1, TestContext.Current.CancellationToken))[0].Payload);
        thinking.GetProperty("type").GetString().ShouldBe(RunEventTypes.AgentThinking);
        thinking.GetProperty("agent_name").GetString().ShouldBe("optimization");
        thinking.GetProperty("reasoning").GetString()!.ShouldContain("optimization");
        thinking.GetProperty("step").GetInt32().ShouldBe(1);
        thinking.GetProperty("total_steps").GetInt32().ShouldBe(5);
    }

    private static async Task WaitForSeq(RunEmitter emitter, long seq)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (emitter.Seq < seq)
        {
            await Task.Delay(5, timeout.Token);
        }

        emitter.Seq.ShouldBe(seq);
    }

    /// <summary>A run doing random work, with a stop arriving from another task at a random moment.</summary>
    private static async Task RandomRunAsync(RunLogHarness log, Random random)
    {
        var run = await log.NewRunAsync();
        await using var emitter = await RunEmitter.StartAsync(run, log.Sink, log.Clock, "supervisor", "hello", Stages, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var stopper = random.Next(3) == 0
            ? Task.Run(async () =>
            {
                await Task.Delay(random.Next(0, 15));
                await emitter.StopAsync("stopped by user", CancellationToken.None);
                await cancel.CancelAsync();
            })
            : Task.CompletedTask;

        try
        {
            foreach (var stage in Stages.Where(_ => random.Next(4) > 0))
            {
                var scope = await emitter.BeginStageAsync(stage, $"{stage} starts", cancel.Token);
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    var roll = random.Next(5);
                    try
                    {
                        await emitter.ToolAsync(stage, "tool_" + roll, new { roll }, async ct =>
                        {
                            await Task.Delay(random.Next(0, 3), ct);
                            return roll switch
                            {
                                0 => throw new InvalidOperationException("tool failed"),
                                1 => ToolResult<object?>.Error("bad input"),
                                _ => ToolResult<object?>.Success($"computed {roll}", new { value = roll }),
                            };
                        }, cancel.Token);
                    }
                    catch (InvalidOperationException) when (roll == 0)
                    {
                    }

                    if (random.Next(3) == 0)
                    {
                        await emitter.ThinkingAsync(stage, "thinking", cancel.Token);
                    }
                }

                if (random.Next(5) > 0)
                {
                    await scope.CompleteAsync(random.Next(4) == 0 ? "failed" : "completed", "done", cancel.Token);
                }
            }

            switch (random.Next(4))
            {
                case 0:
                    await emitter.FailAsync(ErrorCodes.PipelineError, "boom", recoverable: false, cancel.Token);
                    break;
                default:
                    await emitter.DeltaAsync("reporting", "# Report", cancel.Token);
                    await emitter.CompleteAsync("# Report", new { ok = true }, new RunUsage(1, 10, 20, 0.01m), () => Task.CompletedTask, cancel.Token);
                    break;
            }
        }
        catch (Exception ex) when (ex is RunEndedException or OperationCanceledException)
        {
            // The stop won the race: the pipeline's next write is refused, as it must be.
        }

        await stopper;
        emitter.IsTerminal.ShouldBeTrue();
    }
}
