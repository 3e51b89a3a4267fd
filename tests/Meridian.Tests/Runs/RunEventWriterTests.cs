using System.Collections.Concurrent;
using System.Text;
using Dapper;
using Meridian.Server.Errors;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Runs;

/// <summary>The event log's group commit: order, batching, and a failed event failing alone.</summary>
public sealed class RunEventWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Events_written_without_waiting_are_stored_and_published_in_the_order_written(StorageProvider provider)
    {
        await using var log = await RunLogHarness.CreateAsync(provider);
        var runs = new List<RunIdentity>();
        for (var r = 0; r < 8; r++)
        {
            runs.Add(await log.NewRunAsync(r % 2 == 0 ? "user_a" : "user_b"));
        }

        var published = new ConcurrentQueue<(string RunId, long Seq)>();
        using var a = log.Bus.SubscribeUser("user_a", e => published.Enqueue((e.RunId, e.Seq)));
        using var b = log.Bus.SubscribeUser("user_b", e => published.Enqueue((e.RunId, e.Seq)));

        // Interleaved across runs and users, none awaited until all are written: 8 runs × 150 events.
        var written = new List<(string RunId, long Seq)>();
        var stored = new List<Task>();
        for (var seq = 1; seq <= 150; seq++)
        {
            foreach (var run in runs)
            {
                stored.Add(log.Sink.WriteAsync(Event(run, seq), Ct));
                written.Add((run.RunId, seq));
            }
        }

        await Task.WhenAll(stored);
        published.Count.ShouldBe(written.Count, "published once each");
        foreach (var run in runs)
        {
            published.Where(p => p.RunId == run.RunId).Select(p => p.Seq).ShouldBe(Enumerable.Range(1, 150).Select(i => (long)i), "in the order written");
            var rows = await log.Store.ReadAsync(run.RunId, 0, 1_000, Ct);
            rows.Select(r => r.Seq).ShouldBe(Enumerable.Range(1, 150).Select(i => (long)i));
            rows.Select(r => r.Payload).ShouldAllBe(p => p.Contains(run.RunId, StringComparison.Ordinal));
        }

        log.Sink.EventsStored.ShouldBe(1_200);
    }

    [Fact]
    public async Task Events_that_gather_while_a_commit_waits_share_the_next_commit()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var run = await log.NewRunAsync();
        var stored = new List<Task>();

        // Hold SQLite's write turn: whatever the writer takes first waits for it, and the rest gather behind.
        await using (await log.Database.OpenWriterAsync(Ct))
        {
            for (var seq = 1; seq <= 300; seq++)
            {
                stored.Add(log.Sink.WriteAsync(Event(run, seq), Ct));
            }

            stored.ShouldAllBe(t => !t.IsCompleted, "nothing is stored (or published) while the write turn is held");
        }

        await Task.WhenAll(stored);
        log.Sink.EventsStored.ShouldBe(300);
        log.Sink.Commits.ShouldBeLessThanOrEqualTo(2, "the first event alone at most, then everything that gathered");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_event_that_cannot_be_stored_fails_alone_and_its_run_takes_nothing_more_until_the_gap_is_filled(StorageProvider provider)
    {
        await using var log = await RunLogHarness.CreateAsync(provider);
        var good = await log.NewRunAsync();
        var missing = new RunIdentity("run_not_created_yet", "thread_a", "user_a", 0);
        var published = new ConcurrentQueue<(string RunId, long Seq)>();
        using var subscription = log.Bus.SubscribeUser("user_a", e => published.Enqueue((e.RunId, e.Seq)));

        // One batch (the write turn is held on SQLite): the missing run's events break its foreign key.
        Task[] first;
        await using (provider == StorageProvider.Sqlite ? await log.Database.OpenWriterAsync(Ct) : null)
        {
            first =
            [
                log.Sink.WriteAsync(Event(good, 1), Ct),
                log.Sink.WriteAsync(Event(missing, 1), Ct),
                log.Sink.WriteAsync(Event(good, 2), Ct),
                log.Sink.WriteAsync(Event(missing, 2), Ct),
                log.Sink.WriteAsync(Event(good, 3), Ct),
            ];
        }

        await first[0];
        await Should.ThrowAsync<Exception>(first[1]);
        await first[2];
        (await Should.ThrowAsync<InvalidOperationException>(first[3])).Message.ShouldContain("event 1 could not be stored");
        await first[4];
        published.ToList().ShouldBe([(good.RunId, 1L), (good.RunId, 2L), (good.RunId, 3L)]);

        // Now the run exists: seq 2 is still refused (seq 1 is missing) until seq 1 is stored.
        await using (var connection = await log.Database.OpenAsync(Ct))
        {
            await connection.ExecuteAsync(
                "INSERT INTO runs (id, thread_id, user_id, agent, status, created_at) VALUES ('run_not_created_yet', 'thread_a', 'user_a', 'supervisor', 'running', 0)");
        }

        await Should.ThrowAsync<InvalidOperationException>(log.Sink.WriteAsync(Event(missing, 2), Ct));
        await log.Sink.WriteAsync(Event(missing, 1), Ct);
        await log.Sink.WriteAsync(Event(missing, 2), Ct);
        (await log.Store.ReadAsync(missing.RunId, 0, 10, Ct)).Select(r => r.Seq).ShouldBe([1L, 2L]);
        (await log.Store.ReadAsync(good.RunId, 0, 10, Ct)).Select(r => r.Seq).ShouldBe([1L, 2L, 3L]);
    }

    [Fact]
    public async Task An_emitter_whose_event_could_not_be_stored_writes_nothing_more()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var missing = new RunIdentity("run_without_a_row", "thread_a", "user_a", 0);
        RunEmitter emitter;

        // With the write turn held, both events are still on their way when the emitter goes on.
        await using (await log.Database.OpenWriterAsync(Ct))
        {
            emitter = await RunEmitter.StartAsync(missing, log.Sink, log.Clock, "supervisor", "hello", ["triage"], Ct);
            await emitter.ThinkingAsync("triage", "queued behind it", Ct);
        }

        await using (emitter)
        {
            await Should.ThrowAsync<Exception>(emitter.FlushAsync(Ct));
            await Should.ThrowAsync<InvalidOperationException>(emitter.ThinkingAsync("triage", "more", Ct));
            await Should.ThrowAsync<InvalidOperationException>(emitter.FailAsync(ErrorCodes.PipelineError, "x", recoverable: true, Ct));
        }

        log.Sink.EventsStored.ShouldBe(0);
    }

    [Fact]
    public async Task Disposing_the_writer_stores_what_was_queued_and_refuses_what_comes_after()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var run = await log.NewRunAsync();
        var stored = Enumerable.Range(1, 50).Select(seq => log.Sink.WriteAsync(Event(run, seq), Ct)).ToList();

        await log.Sink.DisposeAsync();

        stored.ShouldAllBe(t => t.IsCompletedSuccessfully);
        (await log.Store.ReadAsync(run.RunId, 0, 100, Ct)).Count.ShouldBe(50);
        Should.Throw<ObjectDisposedException>(() => log.Sink.WriteAsync(Event(run, 51), Ct));
    }

    private static RunEvent Event(RunIdentity run, long seq) =>
        new(run.RunId, run.ThreadId, run.UserId, seq, RunEventTypes.AgentThinking,
            Encoding.UTF8.GetBytes($$"""{"type":"agent_thinking","run_id":"{{run.RunId}}","seq":{{seq}}}"""));
}
