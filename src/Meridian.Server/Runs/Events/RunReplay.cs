using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;

namespace Meridian.Server.Runs;

/// <summary>Reads a run's events after a given seq: what is stored, then what happens live, until the terminal
/// event. It subscribes before it reads the store, so an event written in between arrives through the
/// subscription; anything already read is skipped by seq, and a hole in the live stream is filled from the
/// store. The result has no gap and no duplicate at the seam.</summary>
public sealed class RunReplay(RunEventStore store, RunBus bus)
{
    private const int PageSize = 500;

    public async IAsyncEnumerable<RunEvent> ReadAsync(
        RunIdentity run, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var live = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var subscription = bus.SubscribeRun(run.RunId, e => live.Writer.TryWrite(e));
        var last = afterSeq;

        await foreach (var stored in ReadStoredAsync(run, last, long.MaxValue, cancellationToken))
        {
            yield return stored;
            last = stored.Seq;
            if (stored.IsTerminal)
            {
                yield break;
            }
        }

        // The run may have ended since the read (or before it, with the reader at or past its end): then the
        // store holds everything, and what is left is read from it rather than waited for.
        if (await store.LastAsync(run.RunId, cancellationToken) is { } lastStored && RunEventTypes.IsTerminal(lastStored.Type))
        {
            await foreach (var rest in ReadStoredAsync(run, last, long.MaxValue, cancellationToken))
            {
                yield return rest;
            }

            yield break;
        }

        await foreach (var runEvent in live.Reader.ReadAllAsync(cancellationToken))
        {
            if (runEvent.Seq <= last)
            {
                if (runEvent.IsTerminal)
                {
                    yield break;
                }

                continue;
            }

            if (runEvent.Seq > last + 1)
            {
                await foreach (var missing in ReadStoredAsync(run, last, runEvent.Seq - 1, cancellationToken))
                {
                    yield return missing;
                    last = missing.Seq;
                }
            }

            yield return runEvent;
            last = runEvent.Seq;
            if (runEvent.IsTerminal)
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerable<RunEvent> ReadStoredAsync(
        RunIdentity run, long afterSeq, long untilSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSeq;
        while (true)
        {
            var page = await store.ReadAsync(run.RunId, last, PageSize, cancellationToken);
            foreach (var row in page)
            {
                if (row.Seq > untilSeq)
                {
                    yield break;
                }

                last = row.Seq;
                yield return new RunEvent(run.RunId, run.ThreadId, run.UserId, row.Seq, row.Type, Encoding.UTF8.GetBytes(row.Payload));
            }

            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }
}
