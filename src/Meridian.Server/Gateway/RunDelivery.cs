using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Runs;

namespace Meridian.Server.Gateway;

/// <summary>One socket's run events on their way to its outbox, each run in order and once: live events from the
/// bus, a run this socket is starting (its <c>run_accepted</c> first), and a resume's replay (docs/protocol.md#3-frames).
/// Per run it remembers the last seq queued, so a resume never repeats or reorders events.</summary>
/// <remarks>Locks on itself: the instance never leaves its <see cref="GatewayConnection"/> (the frame handler and
/// the bus only call it), and a lock object of its own would be one more allocation per socket.</remarks>
internal sealed partial class RunDelivery(GatewayConnection connection)
{
    // Created on first use (under the lock): an idle socket carries none of them.
    private Dictionary<string, long>? _sentSeq;
    private HashSet<string>? _resuming;
    private List<RunEvent>? _held;
    private int _startsInFlight;

    /// <summary>Per run, the last seq queued on this socket (used under the lock).</summary>
    private Dictionary<string, long> SentSeq => _sentSeq ??= new(StringComparer.Ordinal);

    /// <summary>A delivering thread's list of frames to queue (nothing per socket, nothing per delivery).</summary>
    [ThreadStatic]
    private static List<Outgoing>? t_frames;

    /// <summary>Delivers run events from the bus: in order, once, and not while a resume of that run is replaying
    /// it, nor before the <c>run_accepted</c> of a run this socket is starting, nor from the middle of a run this
    /// socket has not followed from its start.</summary>
    /// <remarks>The bus hands over the events of one log commit at once: they are checked under one lock and
    /// queued under one lock of the outbox, which the send loop contends for.</remarks>
    public void Deliver(IReadOnlyList<RunEvent> events)
    {
        var frames = t_frames ??= [];
        try
        {
            lock (this)
            {
                foreach (var runEvent in events)
                {
                    if (_resuming?.Contains(runEvent.RunId) == true)
                    {
                        continue;
                    }

                    if (_startsInFlight > 0 && _sentSeq?.ContainsKey(runEvent.RunId) != true)
                    {
                        (_held ??= []).Add(runEvent);
                        continue;
                    }

                    if (FollowsLocked(runEvent))
                    {
                        frames.Add(new Outgoing(runEvent.Json, runEvent.Type, null, null));
                    }
                }

                if (frames.Count > 0)
                {
                    connection.SendAll(frames);
                }
            }
        }
        finally
        {
            frames.Clear();
        }
    }

    /// <summary>A run is being started on this socket: until <see cref="RunStarted"/>, events of runs it does not
    /// follow yet are held back, since one of them may be the new run's and must come after its <c>run_accepted</c>.</summary>
    public void StartingRun()
    {
        lock (this)
        {
            _startsInFlight++;
        }
    }

    /// <summary>The start has ended: an accepted run's <c>run_accepted</c> is queued and the socket follows the run
    /// from its start; then the held events go out (those of runs the socket follows).</summary>
    /// <param name="runId">The accepted run, or null when the start was refused or failed.</param>
    /// <param name="runAccepted">Its <c>run_accepted</c> frame, queued ahead of any of its events.</param>
    public void RunStarted(string? runId, byte[]? runAccepted)
    {
        lock (this)
        {
            if (runId is not null)
            {
                connection.Send(runAccepted!, "run_accepted");
                SentSeq.TryAdd(runId, 0);
            }

            if (--_startsInFlight == 0)
            {
                foreach (var held in _held ?? [])
                {
                    if (_resuming?.Contains(held.RunId) != true && FollowsLocked(held))
                    {
                        connection.Send(held.Json, held.Type);
                    }
                }

                _held = null;
            }
        }
    }

    /// <summary>Replays a run after <paramref name="afterSeq"/> (stored, then live) on this socket.</summary>
    /// <remarks>If the stored events cannot be read, the client gets <c>RESUME_FAILED</c> (its <c>id</c> as
    /// <c>reply_to</c>) and the socket stops following the run, so no later event skips over what it missed; the
    /// client sends <c>resume</c> again.</remarks>
    public async Task ResumeAsync(IAsyncEnumerable<RunEvent> events, string runId, long afterSeq, JsonElement? replyTo)
    {
        lock (this)
        {
            (_resuming ??= new(StringComparer.Ordinal)).Add(runId);
            SentSeq[runId] = afterSeq;
        }

        try
        {
            await foreach (var runEvent in events.WithCancellation(connection.Closed))
            {
                await SendReplayedAsync(runEvent);
            }
        }
        catch (OperationCanceledException)
        {
            // The socket closed.
        }
        catch (Exception ex)
        {
            LogResumeFailed(connection.Logger, ex, connection.Id, runId);
            lock (this)
            {
                SentSeq.Remove(runId);
            }

            connection.SendError(ErrorCodes.ResumeFailed, "The run's stored events could not be read; send resume again.", replyTo);
        }
        finally
        {
            lock (this)
            {
                _resuming!.Remove(runId);
            }
        }
    }

    /// <summary>A replay reads from the log, so unlike live delivery it waits for room in the queue instead of
    /// treating a full queue as a slow consumer: a long resume never overflows a reader that keeps up.</summary>
    private async Task SendReplayedAsync(RunEvent runEvent)
    {
        while (true)
        {
            lock (this)
            {
                if (SentSeq.TryGetValue(runEvent.RunId, out var sent) && runEvent.Seq <= sent)
                {
                    return;
                }

                if (connection.TryQueue(new Outgoing(runEvent.Json, runEvent.Type, null, null)))
                {
                    SentSeq[runEvent.RunId] = runEvent.Seq;
                    return;
                }
            }

            if (!await connection.WaitForRoomAsync())
            {
                return;
            }
        }
    }

    /// <summary>Whether this socket sends the event: it follows the event's run and has not sent it yet (and then
    /// records it as sent). A socket follows a run it started or resumed, or saw from its first event. A run already
    /// under way when the socket joined is followed only after a resume, since its live events would otherwise arrive
    /// ahead of the earlier ones the resume replays (a reconnecting client's race).</summary>
    private bool FollowsLocked(RunEvent runEvent)
    {
        // One lookup for the check and the update: this runs for every socket of the user on every event.
        ref var sent = ref CollectionsMarshal.GetValueRefOrNullRef(SentSeq, runEvent.RunId);
        if (Unsafe.IsNullRef(ref sent))
        {
            if (runEvent.Seq != 1)
            {
                return false;
            }

            SentSeq.Add(runEvent.RunId, 1);
        }
        else if (runEvent.Seq <= sent)
        {
            return false;
        }
        else
        {
            sent = runEvent.Seq;
        }

        return true;
    }

    [LoggerMessage(EventId = 711, Level = LogLevel.Error, Message = "Socket {ConnectionId}: replaying run {RunId} failed")]
    private static partial void LogResumeFailed(ILogger logger, Exception ex, string connectionId, string runId);
}
