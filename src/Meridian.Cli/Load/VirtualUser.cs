using System.Diagnostics;
using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Client.Socket;

namespace Meridian.Cli.Load;

/// <summary>One virtual user: a socket of its own, then turns one after another (send a message, read the run's
/// events to its terminal event, think) until the test's time is up. One turn at a time keeps a user within the
/// server's per-user run and message limits.</summary>
internal sealed class VirtualUser(int number, MeridianClient client, LoadSettings settings, LoadStats stats)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    private readonly EndedRuns _ended = new(stats);
    private MeridianSocket? _socket;
    private string? _threadId;
    private int _turns;

    /// <summary>Takes turns while <paramref name="clock"/> is within the test's duration; a cancellation stops at once.</summary>
    public async Task RunAsync(Stopwatch clock, CancellationToken ct)
    {
        Interlocked.Increment(ref stats.UsersStarted);
        try
        {
            while (clock.Elapsed < settings.Duration && !ct.IsCancellationRequested)
            {
                if (_socket is null && !await ConnectAsync(ct))
                {
                    await Pause(RetryPause, ct);
                    continue;
                }

                await TurnAsync(ct);
                await Pause(settings.ThinkTime, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await DropSocketAsync();
        }
    }

    private async Task<bool> ConnectAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            // Replayed events are kept: a duplicate the server sends must be seen to be counted.
            _socket = await client.ConnectAsync(
                new SocketOptions { ConnectTimeout = settings.EventTimeout, WelcomeTimeout = settings.EventTimeout, DropReplayedEvents = false }, ct);
            _socket.FrameReceived += _ended.Observe;
            stats.Connected(clock.Elapsed);
            if (_turns == 0)
            {
                Interlocked.Increment(ref stats.UsersConnected);
            }

            return true;
        }
        catch (SocketConnectException ex)
        {
            stats.Error("connect_" + ex.Stage.ToString().ToLowerInvariant(), $"user {number}: {ex.Message}");
        }
        catch (FrameTimeoutException ex)
        {
            stats.Error("welcome_timeout", $"user {number}: {ex.Message}");
        }
        catch (SocketClosedException ex)
        {
            stats.Error("socket_closed", $"user {number}: {ex.Message}");
        }

        return false;
    }

    private async Task TurnAsync(CancellationToken ct)
    {
        var socket = _socket!;
        var id = $"u{number}-t{++_turns}";
        Interlocked.Increment(ref stats.TurnsStarted);
        Interlocked.Increment(ref stats.InFlight);
        var ok = false;
        try
        {
            ok = await ExchangeAsync(socket, id, ct);
        }
        catch (SocketClosedException ex)
        {
            stats.Error("socket_closed", $"{id}: {ex.Message}");
        }
        catch (FrameTimeoutException ex)
        {
            stats.Error("reply_timeout", $"{id}: {ex.Message}");
        }
        catch (SocketConnectException ex)
        {
            stats.Error("reconnect_" + ex.Stage.ToString().ToLowerInvariant(), $"{id}: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            stats.Error("reconnect_no_welcome", $"{id}: {ex.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref stats.InFlight);
            Interlocked.Increment(ref ok ? ref stats.TurnsCompleted : ref stats.TurnsFailed);
            if (!ok)
            {
                // Whatever went wrong, the next turn starts on a fresh socket.
                await DropSocketAsync();
            }
        }
    }

    /// <summary>Sends the message (again after a <c>RATE_LIMITED</c>, once its pause is over) and follows the run.</summary>
    private async Task<bool> ExchangeAsync(MeridianSocket socket, string id, CancellationToken ct)
    {
        var turnDeadline = Stopwatch.StartNew();
        while (true)
        {
            var sent = DateTimeOffset.UtcNow;
            await socket.SendMessageAsync(settings.Message, _threadId, id: id, ct: ct);
            var reply = await socket.WaitForReplyAsync(id, $"run_accepted for {id}", settings.EventTimeout, ct);
            switch (reply)
            {
                case RunAcceptedFrame { RunId: { } runId } accepted:
                    _threadId = accepted.ThreadId ?? _threadId;
                    return await FollowAsync(socket, runId, sent, ct);
                case ErrorFrame { ErrorCode: "RATE_LIMITED" } limited when turnDeadline.Elapsed < settings.TurnTimeout:
                    Interlocked.Increment(ref stats.RateLimited);
                    await Pause(TimeSpan.FromMilliseconds(Math.Max(limited.RetryAfterMs ?? 1000, 100)), ct);
                    continue;
                case ErrorFrame error:
                    stats.Error("refused_" + (error.ErrorCode ?? "unknown"), $"{id}: {error.ErrorCode} {error.Message}");
                    return false;
                default:
                    stats.Error("unexpected_reply", $"{id}: {reply}");
                    return false;
            }
        }
    }

    /// <summary>Reads the run's events to its terminal event, checking their seqs. A socket that drops is reopened
    /// and the run resumed from its last seq (the client does both), and the turn goes on.</summary>
    private async Task<bool> FollowAsync(MeridianSocket socket, string runId, DateTimeOffset sent, CancellationToken ct)
    {
        var tracker = new SeqTracker();
        var clock = Stopwatch.StartNew();
        var first = true;
        try
        {
            while (true)
            {
                var left = settings.TurnTimeout - clock.Elapsed;
                RunEvent e;
                try
                {
                    e = (RunEvent)await socket.WaitForAsync(f => f is RunEvent r && r.RunId == runId, $"the events of {runId}", left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), ct);
                }
                catch (SocketClosedException ex)
                {
                    // A drop the client recovers from by resuming is what the protocol allows: counted, not an
                    // error. What the resume fails to deliver shows as a seq gap.
                    Interlocked.Increment(ref stats.Reconnects);
                    stats.Drop($"{runId}: {ex.Message}; resumed after seq {socket.LastSeq(runId)}");
                    var reconnect = Stopwatch.StartNew();
                    await socket.ReconnectAsync(ct);
                    stats.Connected(reconnect.Elapsed);
                    continue;
                }
                catch (FrameTimeoutException ex)
                {
                    stats.Error("turn_timeout", $"{runId}: {ex.Message}; last seq {tracker.Last}");
                    await CountUndeliveredAsync(runId, tracker, ct);
                    return false;
                }

                Interlocked.Increment(ref stats.Events);
                if (first)
                {
                    stats.FirstEvent(e.Received - sent);
                    first = false;
                }

                if (e.Seq is not { } seq)
                {
                    stats.Error("event_without_seq", $"{runId}: {e}");
                }
                else
                {
                    tracker.Add(seq, e.Type);
                }

                if (e.IsTerminal)
                {
                    stats.TurnDone(e.Received - sent);
                    return e switch
                    {
                        AgentFailed failed => Failed("agent_failed_" + (failed.ErrorCode ?? "unknown"), $"{runId}: {failed.ErrorCode} {failed.Message}"),
                        AgentStopped stopped => Failed("agent_stopped", $"{runId}: {stopped.Reason}"),
                        _ => tracker.Lost == 0 && tracker.Duplicated == 0,
                    };
                }
            }
        }
        finally
        {
            stats.Sequence(runId, tracker);
        }
    }

    /// <summary>After a timeout, the events the server stored beyond the last one delivered were lost on the way,
    /// if the run has ended there (a run still going is only slow).</summary>
    private async Task CountUndeliveredAsync(string runId, SeqTracker tracker, CancellationToken ct)
    {
        try
        {
            var (_, stored) = await client.RunEventsAsync(runId, tracker.Last, ct);
            if (stored.Count > 0 && stored[^1].IsTerminal)
            {
                tracker.Undelivered(stored.Count, stored[^1].Seq ?? 0);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Client.Http.MeridianApiException && !ct.IsCancellationRequested)
        {
            stats.Error("events_read_failed", $"{runId}: {ex.Message}");
        }
    }

    private bool Failed(string kind, string message)
    {
        stats.Error(kind, message);
        return false;
    }

    private async Task DropSocketAsync()
    {
        if (_socket is { } socket)
        {
            _socket = null;
            await socket.DisposeAsync();
        }
    }

    private static Task Pause(TimeSpan time, CancellationToken ct) => time > TimeSpan.Zero ? Task.Delay(time, ct) : Task.CompletedTask;
}
