using Meridian.Server.Gateway;

namespace Meridian.Tests.Gateway;

/// <summary>The per-socket send queue: bounded, in order, one reader whose wait is woken by a write and ended by
/// completion, and writers that can wait for room.</summary>
public sealed class OutboxTests
{
    private static Outgoing Frame(int n) => new([(byte)n], "t" + n, null, null);

    [Fact]
    public void Frames_come_out_in_order_across_growth_and_the_queue_refuses_past_its_capacity()
    {
        var outbox = new Outbox(16);

        for (var i = 0; i < 16; i++)
        {
            outbox.TryWrite(Frame(i)).ShouldBeTrue();
        }

        outbox.TryWrite(Frame(99)).ShouldBeFalse("the queue is full");
        outbox.Count.ShouldBe(16);
        for (var i = 0; i < 16; i++)
        {
            outbox.TryRead(out var item).ShouldBeTrue();
            item.Frame[0].ShouldBe((byte)i);
        }

        outbox.TryRead(out _).ShouldBeFalse();
        outbox.TryWrite(Frame(7)).ShouldBeTrue("a drained queue takes frames again");
        outbox.TryRead(out var again).ShouldBeTrue();
        again.Type.ShouldBe("t7");
    }

    [Fact]
    public async Task A_batch_goes_in_whole_or_up_to_the_capacity_and_wakes_the_waiting_reader_once()
    {
        var outbox = new Outbox(8);
        outbox.TryWrite(Frame(0)).ShouldBeTrue();
        outbox.TryRead(out _).ShouldBeTrue();
        var waiting = outbox.WaitToReadAsync();
        waiting.IsCompleted.ShouldBeFalse();

        outbox.TryWriteAll([Frame(1), Frame(2), Frame(3), Frame(4), Frame(5)]).ShouldBe(5);
        (await waiting).ShouldBeTrue();
        outbox.TryWriteAll([Frame(6), Frame(7), Frame(8), Frame(9), Frame(10)]).ShouldBe(3, "three more fit");
        for (var i = 1; i <= 8; i++)
        {
            outbox.TryRead(out var item).ShouldBeTrue();
            item.Frame[0].ShouldBe((byte)i);
        }

        outbox.TryRead(out _).ShouldBeFalse();
        outbox.Complete();
        outbox.TryWriteAll([Frame(11)]).ShouldBe(0, "a completed queue takes nothing");
    }

    [Fact]
    public void Order_holds_when_the_ring_wraps_around()
    {
        var outbox = new Outbox(64);
        var next = 0;
        var expected = 0;
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 3; i++)
            {
                outbox.TryWrite(Frame(next++ % 256)).ShouldBeTrue();
            }

            for (var i = 0; i < 2; i++)
            {
                outbox.TryRead(out var item).ShouldBeTrue();
                item.Frame[0].ShouldBe((byte)(expected++ % 256));
            }
        }

        while (outbox.TryRead(out var item))
        {
            item.Frame[0].ShouldBe((byte)(expected++ % 256));
        }

        expected.ShouldBe(next);
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_a_write_and_ended_by_completion()
    {
        var outbox = new Outbox(16);

        var waiting = outbox.WaitToReadAsync();
        waiting.IsCompleted.ShouldBeFalse();
        outbox.TryWrite(Frame(1));
        (await waiting).ShouldBeTrue();
        outbox.TryRead(out _).ShouldBeTrue();

        var second = outbox.WaitToReadAsync();
        second.IsCompleted.ShouldBeFalse();
        outbox.Complete();
        (await second).ShouldBeFalse();
        (await outbox.WaitToReadAsync()).ShouldBeFalse();
        outbox.TryWrite(Frame(2)).ShouldBeFalse("a completed queue takes nothing");
    }

    [Fact]
    public async Task A_writer_waiting_for_room_continues_once_a_frame_is_read_and_stops_when_cancelled()
    {
        var outbox = new Outbox(16);
        for (var i = 0; i < 16; i++)
        {
            outbox.TryWrite(Frame(i));
        }

        var room = outbox.WaitToWriteAsync(CancellationToken.None).AsTask();
        room.IsCompleted.ShouldBeFalse();
        outbox.TryRead(out _);
        (await room.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).ShouldBeTrue();

        outbox.TryWrite(Frame(16));
        using var cancel = new CancellationTokenSource();
        var cancelled = outbox.WaitToWriteAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(cancelled);
    }
}
