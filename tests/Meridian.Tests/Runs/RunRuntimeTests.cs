using System.Diagnostics;
using Dapper;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Server.Threads;
using Meridian.Server.Tools;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Runs;

public sealed class RunRuntimeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_run_streams_its_stages_completes_and_stores_the_answer_in_its_thread(StorageProvider provider)
    {
        var pipeline = new ScriptedPipeline(async (ctx, ct) =>
        {
            await ctx.StageAsync("triage", "Reading", _ => Task.FromResult(new StageResult<int>(1, "cost question")), ct);
            await ctx.StageAsync("reporting", "Writing", async c =>
            {
                await ctx.Emitter.DeltaAsync("reporting", "Hello ", c);
                await ctx.Emitter.DeltaAsync("reporting", "there", c);
                return new StageResult<int>(2, "written");
            }, ct);
            return new PipelineResult("Hello there", new { stages = 2 }, new RunUsage(1, 100, 20, 0.002m));
        });
        await using var harness = await RuntimeHarness.StartAsync(pipeline, provider);

        var runId = await harness.StartAsync("user_a", "We spend $5000/month on GPT-4");
        var run = await harness.EndedAsync(runId);
        var events = await harness.EventsAsync(runId);
        var (messages, _) = await harness.Server.Service<MessageStore>().ListAsync(run.ThreadId, 10, 0, Ct);
        var thread = await harness.Server.Service<ThreadStore>().GetAsync(run.ThreadId, Ct);

        run.Status.ShouldBe(RunStatus.Completed);
        run.StartedAt.ShouldNotBeNull();
        run.EndedAt.ShouldNotBeNull();
        run.Usage!.ShouldContain("\"input_tokens\":100");
        RunInvariants.Violations(events).ShouldBeEmpty();
        RuntimeHarness.Types(events).ShouldBe(
        [
            "agent_started", "subagent_started", "subagent_completed", "subagent_started",
            "agent_response_delta", "agent_response_delta", "subagent_completed", "agent_completed",
        ]);
        events[0].GetProperty("agents").EnumerateArray().Select(a => a.GetString()).ShouldBe(["triage", "reporting"]);
        events[^1].GetProperty("response").GetString().ShouldBe("Hello there");
        events[^1].GetProperty("usage").GetProperty("cost_usd").GetDecimal().ShouldBe(0.002m);
        messages.Select(m => (m.Role, m.Content, m.RunId)).ShouldBe(
            [("user", "We spend $5000/month on GPT-4", runId), ("assistant", "Hello there", runId)]);
        thread!.Title.ShouldBe("We spend $5000/month on GPT-4");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_fourth_concurrent_run_of_a_user_waits_and_a_run_beyond_the_queue_is_refused(StorageProvider provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = new ScriptedPipeline(async (_, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return ScriptedPipeline.Done();
        });
        await using var harness = await RuntimeHarness.StartAsync(pipeline, provider: provider, settings: new Dictionary<string, string?>
        {
            ["Runs:MaxConcurrentRunsPerUser"] = "3",
            ["Runs:MaxQueuedRunsPerUser"] = "1",
        });

        var first = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            first.Add(await harness.StartAsync("user_a", $"run {i}"));
        }

        foreach (var id in first)
        {
            await harness.WaitForStatusAsync(id, RunStatus.Running);
        }

        var fourth = await harness.StartAsync("user_a", "run 3");
        var refused = await harness.Runs.StartAsync("user_a", new StartRunRequest("run 4"), Ct);
        var otherUser = await harness.StartAsync("user_b", "not limited by user_a");
        await harness.WaitForStatusAsync(otherUser, RunStatus.Running, "user_b");

        (await harness.Runs.GetAsync("user_a", fourth, Ct))!.Status.ShouldBe(RunStatus.Queued);
        (await harness.EventsAsync(fourth)).ShouldBeEmpty("a waiting run has not started");
        refused.ErrorCode.ShouldBe("RATE_LIMITED");
        refused.RetryAfterMs.ShouldNotBeNull();

        gate.SetResult();
        (await harness.EndedAsync(fourth)).Status.ShouldBe(RunStatus.Completed);
        foreach (var id in first)
        {
            (await harness.EndedAsync(id)).Status.ShouldBe(RunStatus.Completed);
        }

        (await harness.Runs.StartAsync("user_a", new StartRunRequest("after"), Ct)).Accepted.ShouldBeTrue("the slots were given back");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Stop_ends_a_run_with_agent_stopped_within_a_second_even_when_its_work_ignores_cancellation(StorageProvider provider)
    {
        var inStage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = new ScriptedPipeline(async (ctx, ct) =>
        {
            await ctx.StageAsync("data", "Measuring", async _ =>
            {
                await ctx.Emitter.ToolAsync("data", "usage_query", null, async _ =>
                {
                    inStage.TrySetResult();
                    await Task.Delay(TimeSpan.FromSeconds(20), CancellationToken.None); // a call that does not listen
                    return ToolResult<object?>.Success("late");
                }, CancellationToken.None);
                return new StageResult<int>(0, "late");
            }, ct);
            return ScriptedPipeline.Done();
        }, "data", "reporting");
        await using var harness = await RuntimeHarness.StartAsync(pipeline, provider);
        var runId = await harness.StartAsync("user_a", "go");
        await inStage.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var watch = Stopwatch.StartNew();
        (await harness.Runs.StopAsync("user_a", runId, "user pressed stop")).ShouldBeTrue();
        var events = await harness.EventsAsync(runId);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));

        RunInvariants.Violations(events).ShouldBeEmpty();
        events[^1].GetProperty("type").GetString().ShouldBe("agent_stopped");
        events[^1].GetProperty("reason").GetString().ShouldBe("user pressed stop");
        (await harness.Runs.GetAsync("user_a", runId, Ct))!.Status.ShouldBe(RunStatus.Stopped);
        (await harness.Runs.StopAsync("user_b", runId, "not yours")).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Stopping_a_waiting_run_gives_it_agent_started_then_agent_stopped(StorageProvider provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = new ScriptedPipeline(async (_, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return ScriptedPipeline.Done();
        });
        await using var harness = await RuntimeHarness.StartAsync(pipeline, provider: provider, settings: new Dictionary<string, string?> { ["Runs:MaxConcurrentRunsPerUser"] = "1" });
        var running = await harness.StartAsync("user_a", "first");
        await harness.WaitForStatusAsync(running, RunStatus.Running);
        var waiting = await harness.StartAsync("user_a", "second");

        var stopped = await harness.Runs.StopActiveAsync("user_a", threadId: null, "cancel all");
        var run = await harness.EndedAsync(waiting);

        stopped.ShouldBe([running, waiting], ignoreOrder: true);
        run.Status.ShouldBe(RunStatus.Stopped);
        RuntimeHarness.Types(await harness.EventsAsync(waiting)).ShouldBe(["agent_started", "agent_stopped"]);
        gate.SetResult();
    }

    [Fact]
    public async Task A_stage_that_times_out_or_fails_is_recorded_and_the_run_goes_on()
    {
        var pipeline = new ScriptedPipeline(async (ctx, ct) =>
        {
            var slow = await ctx.StageAsync<int>("data", "Measuring", async c =>
            {
                await Task.Delay(Timeout.Infinite, c);
                return new StageResult<int>(0, "never");
            }, ct);
            var broken = await ctx.StageAsync<int>("optimization", "Computing", _ => throw new InvalidOperationException("no price for model x"), ct);
            await ctx.StageAsync("reporting", "Writing", _ => Task.FromResult(new StageResult<bool>(true, "ok")), ct);
            return ScriptedPipeline.Done($"{slow.Error} | {broken.Error}");
        }, "data", "optimization", "reporting");
        await using var harness = await RuntimeHarness.StartAsync(pipeline, settings: new Dictionary<string, string?> { ["Runs:StageTimeoutSeconds"] = "1" });

        var runId = await harness.StartAsync("user_a", "go");
        var run = await harness.EndedAsync(runId);
        var events = await harness.EventsAsync(runId);

        run.Status.ShouldBe(RunStatus.Completed);
        RunInvariants.Violations(events).ShouldBeEmpty();
        var completions = events.Where(e => e.GetProperty("type").GetString() == "subagent_completed").ToList();
        completions.Select(e => (e.GetProperty("agent_name").GetString(), e.GetProperty("status").GetString())).ShouldBe(
            [("data", "failed"), ("optimization", "failed"), ("reporting", "completed")]);
        completions[0].GetProperty("summary").GetString().ShouldBe("data did not finish within 1 s");
        events[^1].GetProperty("response").GetString().ShouldBe("data did not finish within 1 s | no price for model x");
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_progress_and_then_succeed()
    {
        var attempts = 0;
        var pipeline = new ScriptedPipeline(async (ctx, ct) =>
        {
            await ctx.StageAsync("data", "Measuring", _ => ++attempts < 3
                ? throw new TransientException("provider answered 429")
                : Task.FromResult(new StageResult<int>(attempts, "measured")), ct);
            return ScriptedPipeline.Done();
        });
        await using var harness = await RuntimeHarness.StartAsync(pipeline, settings: new Dictionary<string, string?> { ["Runs:RetryDelayMilliseconds"] = "10" });

        var runId = await harness.StartAsync("user_a", "go");
        await harness.EndedAsync(runId);
        var events = await harness.EventsAsync(runId);

        attempts.ShouldBe(3);
        var thinking = events.Where(e => e.GetProperty("type").GetString() == "agent_thinking").Select(e => e.GetProperty("reasoning").GetString()).ToList();
        thinking.ShouldBe(["provider answered 429; retrying (1 of 2)", "provider answered 429; retrying (2 of 2)"]);
        events.Single(e => e.GetProperty("type").GetString() == "subagent_completed").GetProperty("status").GetString().ShouldBe("completed");
    }

    [Fact]
    public async Task A_run_past_its_time_limit_and_a_pipeline_that_throws_end_with_agent_failed()
    {
        var pipeline = new ScriptedPipeline(async (ctx, ct) =>
        {
            if (ctx.Input == "hang")
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            throw new InvalidOperationException("bug in a stage");
        });
        await using var harness = await RuntimeHarness.StartAsync(pipeline, settings: new Dictionary<string, string?>
        {
            ["Runs:StageTimeoutSeconds"] = "1",
            ["Runs:RunTimeoutSeconds"] = "1",
        });

        var hang = await harness.StartAsync("user_a", "hang");
        var bug = await harness.StartAsync("user_a", "bug");
        var hangRun = await harness.EndedAsync(hang);
        var bugRun = await harness.EndedAsync(bug);

        hangRun.Status.ShouldBe(RunStatus.Failed);
        hangRun.ErrorCode.ShouldBe("RUN_TIMEOUT");
        bugRun.ErrorCode.ShouldBe("PIPELINE_ERROR");
        foreach (var id in new[] { hang, bug })
        {
            var events = await harness.EventsAsync(id);
            RunInvariants.Violations(events).ShouldBeEmpty();
            events[^1].GetProperty("recoverable").GetBoolean().ShouldBeTrue();
        }

        (await harness.EventsAsync(bug))[^1].GetProperty("message").GetString()!.ShouldNotContain("bug in a stage");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Thread_rules_hold(StorageProvider provider)
    {
        await using var harness = await RuntimeHarness.StartAsync(new ScriptedPipeline((_, _) => Task.FromResult(ScriptedPipeline.Done())), provider);

        var first = await harness.Runs.StartAsync("user_a", new StartRunRequest("first"), Ct);
        var again = await harness.Runs.StartAsync("user_a", new StartRunRequest("second"), Ct);
        var chosen = await harness.Runs.StartAsync("user_a", new StartRunRequest("third", ThreadId: "my-thread-1"), Ct);
        var foreign = await harness.Runs.StartAsync("user_b", new StartRunRequest("sneak", ThreadId: "my-thread-1"), Ct);
        var badId = await harness.Runs.StartAsync("user_b", new StartRunRequest("x", ThreadId: "../../etc"), Ct);
        var latest = await harness.Runs.StartAsync("user_a", new StartRunRequest("fourth"), Ct);

        again.ThreadId.ShouldBe(first.ThreadId, "no thread_id: the most recent active thread");
        chosen.ThreadId.ShouldBe("my-thread-1", "an unknown id is created for this user");
        foreign.ErrorCode.ShouldBe("THREAD_ACCESS_DENIED");
        badId.ErrorCode.ShouldBe("INVALID_THREAD_ID");
        latest.ThreadId.ShouldBe("my-thread-1", "the most recently used thread");
        await harness.EndedAsync(latest.RunId!);
        (await harness.Server.Service<ThreadStore>().GetAsync("my-thread-1", Ct))!.UserId.ShouldBe("user_a");
    }

    [Theory]
    [InlineData("", null, "EMPTY_MESSAGE")]
    [InlineData("   ", null, "EMPTY_MESSAGE")]
    [InlineData("hi", "nonexistent", "UNKNOWN_AGENT")]
    [InlineData("hi", "supervisor_agent", null)]
    [InlineData("hi", "unified_data_agent", null)]
    [InlineData("hi", "optimizations_core", null)]
    [InlineData("hi", "triage_agent", null)]
    public async Task Requests_are_validated_and_agent_aliases_accepted(string text, string? agent, string? error)
    {
        await using var harness = await RuntimeHarness.StartAsync(new ScriptedPipeline((_, _) => Task.FromResult(ScriptedPipeline.Done())));

        var result = await harness.Runs.StartAsync("user_a", new StartRunRequest(text, agent), Ct);

        result.ErrorCode.ShouldBe(error);
        if (error is null)
        {
            await harness.EndedAsync(result.RunId!);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_run_left_running_by_a_dead_process_ends_with_agent_failed_when_the_node_starts(StorageProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?> { ["Runs:NodeId"] = "node-1" };
        await using (var first = await ServerHarness.StartAsync(database, ownsDatabase: false, settings))
        {
            await using var connection = await first.Service<Database>().OpenAsync(Ct);
            await connection.ExecuteAsync("INSERT INTO users (id, created_at) VALUES ('user_a', 0)");
            await connection.ExecuteAsync("INSERT INTO threads (id, user_id, created_at, updated_at) VALUES ('t1', 'user_a', 0, 0)");
            await connection.ExecuteAsync(
                "INSERT INTO runs (id, thread_id, user_id, agent, status, node_id, lease_expires_at, created_at) VALUES " +
                "('run_crashed', 't1', 'user_a', 'supervisor', 'running', 'node-1', 9999999999999, 0), " +
                "('run_queued', 't1', 'user_a', 'supervisor', 'queued', 'node-1', 9999999999999, 0)");
            string[] left =
            [
                """{"type":"agent_started","timestamp":"2026-11-21T10:00:00.000Z","run_id":"run_crashed","thread_id":"t1","seq":1,"agent_name":"supervisor","message":"m","agents":["data"]}""",
                """{"type":"subagent_started","timestamp":"2026-11-21T10:00:00.001Z","run_id":"run_crashed","thread_id":"t1","seq":2,"agent_name":"data","message":"m"}""",
                """{"type":"tool_executing","timestamp":"2026-11-21T10:00:00.002Z","run_id":"run_crashed","thread_id":"t1","seq":3,"agent_name":"data","tool_name":"usage_query","call_id":"call_1","parameters":{}}""",
            ];
            for (var i = 0; i < left.Length; i++)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO run_events (run_id, seq, type, payload, created_at) VALUES ('run_crashed', @seq, @type, @payload, 0)",
                    new { seq = i + 1, type = RunInvariants.Parse(left[i]).GetProperty("type").GetString(), payload = left[i] });
            }
        }

        await using var restarted = await ServerHarness.StartAsync(database, ownsDatabase: false, settings);
        var store = restarted.Service<RunEventStore>();
        foreach (var runId in new[] { "run_crashed", "run_queued" })
        {
            var events = (await store.ReadAsync(runId, 0, 100, Ct)).Select(e => RunInvariants.Parse(e.Payload)).ToList();
            var run = await restarted.Service<RunStore>().GetAsync(runId, Ct);

            RunInvariants.Violations(events).ShouldBeEmpty(runId);
            events[^1].GetProperty("type").GetString().ShouldBe("agent_failed");
            events[^1].GetProperty("recoverable").GetBoolean().ShouldBeTrue();
            run!.Status.ShouldBe(RunStatus.Failed);
            run.ErrorCode.ShouldBe("RUN_INTERRUPTED");
        }
    }

    [Fact]
    public async Task Runs_of_another_node_whose_lease_expired_are_taken_over_and_ended()
    {
        await using var harness = await RuntimeHarness.StartAsync(
            new ScriptedPipeline((_, _) => Task.FromResult(ScriptedPipeline.Done())), StorageProvider.Postgres,
            new Dictionary<string, string?> { ["Runs:LeaseSeconds"] = "3" });
        await using (var connection = await harness.Server.Service<Database>().OpenAsync(Ct))
        {
            await connection.ExecuteAsync("INSERT INTO threads (id, user_id, created_at, updated_at) VALUES ('t9', 'user_a', 0, 0)");
            await connection.ExecuteAsync(
                "INSERT INTO runs (id, thread_id, user_id, agent, status, node_id, lease_expires_at, created_at) VALUES " +
                "('run_dead_node', 't9', 'user_a', 'supervisor', 'running', 'node-gone', 1, 0), " +
                "('run_live_node', 't9', 'user_a', 'supervisor', 'running', 'node-alive', 9999999999999, 0)");
        }

        var ended = await harness.EndedAsync("run_dead_node");

        ended.Status.ShouldBe(RunStatus.Failed);
        ended.ErrorCode.ShouldBe("RUN_INTERRUPTED");
        (await harness.Runs.GetAsync("user_a", "run_live_node", Ct))!.Status.ShouldBe(RunStatus.Running, "a live node's run is left alone");
    }

    [Fact]
    public async Task A_run_whose_events_cannot_be_written_is_ended_by_recovery_once_its_lease_lapses()
    {
        var pipeline = new ScriptedPipeline((_, _) => Task.FromResult(ScriptedPipeline.Done()));
        var settings = new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = Auth.AuthHarness.Secret,
            ["Runs:LeaseSeconds"] = "3",
        };
        await using var server = await ServerHarness.StartAsync(StorageProvider.Sqlite, settings, services =>
        {
            services.AddSingleton<IRunPipeline>(pipeline);
            services.AddSingleton<IRunEventSink>(sp => new RefusingSink(sp.GetRequiredService<RunEventWriter>()));
        });
        await using (var connection = await server.Service<Database>().OpenAsync(Ct))
        {
            await connection.ExecuteAsync("INSERT INTO users (id, created_at) VALUES ('user_a', 0)");
        }

        var started = await server.Service<RunService>().StartAsync("user_a", new StartRunRequest("refuse my first event"), Ct);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        RunRecord? run;
        do
        {
            await Task.Delay(50, timeout.Token);
            run = await server.Service<RunStore>().GetAsync(started.RunId!, timeout.Token);
        }
        while (RunStatus.IsActive(run!.Status));

        run.Status.ShouldBe(RunStatus.Failed);
        run.ErrorCode.ShouldBe("RUN_INTERRUPTED");
        var events = (await server.Service<RunEventStore>().ReadAsync(run.Id, 0, 100, Ct)).Select(e => RunInvariants.Parse(e.Payload)).ToList();
        RunInvariants.Violations(events).ShouldBeEmpty();
    }

    /// <summary>The real sink, except that the first event of each run is refused (a storage fault).</summary>
    private sealed class RefusingSink(IRunEventSink inner) : IRunEventSink
    {
        private readonly HashSet<string> _refused = [];

        public Task WriteAsync(RunEvent runEvent, CancellationToken cancellationToken)
        {
            lock (_refused)
            {
                if (_refused.Add(runEvent.RunId))
                {
                    throw new InvalidOperationException("disk full");
                }
            }

            return inner.WriteAsync(runEvent, cancellationToken);
        }
    }
}
