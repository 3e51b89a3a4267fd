using System.Text;
using Meridian.Server.Runs;

namespace Meridian.Tests.Runs;

public sealed class RunBusTests
{
    [Fact]
    public void A_published_batch_reaches_each_subscriber_of_its_owner_and_run_in_order_and_all_at_once()
    {
        var bus = new RunBus();
        var calls = new List<string>();
        var batches = new List<int>();
        using var counted = bus.SubscribeUser("user_a", events => batches.Add(events.Count));
        using var first = bus.SubscribeUser("user_a", e => calls.Add($"first:{e.RunId}:{e.Seq}"));
        using var second = bus.SubscribeUser("user_a", e => calls.Add($"second:{e.RunId}:{e.Seq}"));
        using var other = bus.SubscribeUser("user_b", e => calls.Add($"other:{e.RunId}:{e.Seq}"));
        using var run = bus.SubscribeRun("run_2", e => calls.Add($"run:{e.RunId}:{e.Seq}"));

        bus.Publish([Event("run_1", "user_a", 1), Event("run_3", "user_b", 1), Event("run_2", "user_a", 1), Event("run_1", "user_a", 2), Event("run_2", "user_a", 2)]);

        batches.ShouldBe([4], "the owner's four events reach a subscriber in one call");
        calls.ShouldBe(
        [
            "first:run_1:1", "first:run_2:1", "first:run_1:2", "first:run_2:2",
            "second:run_1:1", "second:run_2:1", "second:run_1:2", "second:run_2:2",
            "other:run_3:1",
            "run:run_2:1", "run:run_2:2",
        ]);
    }

    [Fact]
    public void A_subscriber_that_left_gets_nothing_more()
    {
        var bus = new RunBus();
        var seen = new List<long>();
        var subscription = bus.SubscribeUser("user_a", e => seen.Add(e.Seq));

        bus.Publish(Event("run_1", "user_a", 1));
        subscription.Dispose();
        bus.Publish(Event("run_1", "user_a", 2));

        seen.ShouldBe([1L]);
    }

    private static RunEvent Event(string runId, string userId, long seq) =>
        new(runId, "thread_1", userId, seq, RunEventTypes.AgentThinking, Encoding.UTF8.GetBytes("{}"));
}
