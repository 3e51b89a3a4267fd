using Meridian.Server.Errors;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Runs;

public sealed class RunReplayTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Readers_joining_at_random_moments_and_seqs_get_every_later_event_once_in_order(StorageProvider provider)
    {
        await using var log = await RunLogHarness.CreateAsync(provider);
        var replay = new RunReplay(log.Store, log.Bus);
        var random = new Random(42);

        for (var round = 0; round < 6; round++)
        {
            var run = await log.NewRunAsync();
            var total = random.Next(20, 60);
            var writer = Task.Run(async () =>
            {
                await using var emitter = await RunEmitter.StartAsync(run, log.Sink, log.Clock, "supervisor", "go", ["triage"], CancellationToken.None);
                for (var i = 2; i < total; i++)
                {
                    await emitter.ThinkingAsync("triage", $"step {i}", CancellationToken.None);
                    if (i % 7 == 0)
                    {
                        await Task.Yield();
                    }
                }

                await emitter.CompleteAsync("done", new { }, RunUsage.None, () => Task.CompletedTask, CancellationToken.None);
            }, TestContext.Current.CancellationToken);

            var readers = Enumerable.Range(0, 8).Select(_ =>
            {
                var after = random.Next(0, total);
                var delay = random.Next(0, 10);
                return Task.Run(async () =>
                {
                    await Task.Delay(delay, TestContext.Current.CancellationToken);
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    var seqs = new List<long>();
                    await foreach (var e in replay.ReadAsync(run, after, timeout.Token))
                    {
                        seqs.Add(e.Seq);
                    }

                    return (after, seqs);
                }, TestContext.Current.CancellationToken);
            }).ToList();

            await writer;
            foreach (var (after, seqs) in await Task.WhenAll(readers))
            {
                seqs.ShouldBe(Enumerable.Range((int)after + 1, total - (int)after).Select(i => (long)i).ToList(), $"resume after {after}");
            }
        }
    }

    [Fact]
    public async Task Replay_of_a_finished_run_ends_after_its_terminal_event()
    {
        await using var log = await RunLogHarness.CreateAsync(StorageProvider.Sqlite);
        var run = await log.NewRunAsync();
        await using (var emitter = await RunEmitter.StartAsync(run, log.Sink, log.Clock, "supervisor", "go", ["triage"], TestContext.Current.CancellationToken))
        {
            await emitter.ThinkingAsync("triage", "x", TestContext.Current.CancellationToken);
            await emitter.FailAsync(ErrorCodes.RunTimeout, "too slow", recoverable: true, TestContext.Current.CancellationToken);
        }

        var types = new List<string>();
        await foreach (var e in new RunReplay(log.Store, log.Bus).ReadAsync(run, 1, TestContext.Current.CancellationToken))
        {
            types.Add(e.Type);
        }

        types.ShouldBe([RunEventTypes.AgentThinking, RunEventTypes.AgentFailed]);
    }
}
