using System.Diagnostics;
using Meridian.Client.Events;
using Meridian.Client.Http;
using Meridian.Client.Socket;

namespace Meridian.Validation.Checks;

/// <summary>Follows runs on a socket to their terminal events while asking the server, over REST, whether they have
/// ended there. A run the server says has ended, but whose terminal event the socket has not delivered an event
/// timeout later, is diagnosed then rather than after the whole run timeout; and a wait that does time out looks
/// the run up and says which it was: the run still going on the server, or ended there and its end lost on the way
/// to the socket (docs/cli.md#24-diagnoses). Each such failure is reported to <paramref name="missing"/> with the
/// capability it shows missing.</summary>
internal sealed class RunFollower(ValidationSettings settings, Identity user, MeridianSocket socket, Action<Capability, Diagnosis>? missing, CancellationToken cancellation)
{
    /// <summary>How often the server is asked whether the runs still open on the socket have ended.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<RunEvent>>> FollowAsync(IReadOnlyCollection<string> runIds, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var follow = socket.FollowRunsAsync(runIds, timeout, stop.Token);
        var watch = EndedButUndeliveredAsync(runIds, stop.Token);
        try
        {
            if (await Task.WhenAny(follow, watch) == watch && await watch is { } lost)
            {
                await stop.CancelAsync();
                await Settled(follow);
                throw Fail(Capability.SocketDeliversRunEnd, await LostEndAsync(lost.RunId, lost.Info, clock.Elapsed, Frames()));
            }

            return await follow;
        }
        catch (FrameTimeoutException timedOut)
        {
            throw await TimedOutAsync(runIds, timedOut);
        }
        finally
        {
            await stop.CancelAsync();
            await Settled(watch);
        }
    }

    /// <summary>Completes with a run that ended on the server at least an event timeout ago and whose terminal
    /// event the socket still has not delivered; runs until cancelled otherwise.</summary>
    private async Task<(string RunId, RunInfo Info)?> EndedButUndeliveredAsync(IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        var seenEnded = new Dictionary<string, (RunInfo Info, Stopwatch Since)>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                await Task.Delay(PollInterval, ct);
                foreach (var runId in Open(runIds))
                {
                    if (seenEnded.TryGetValue(runId, out var ended))
                    {
                        if (ended.Since.Elapsed >= settings.EventTimeout)
                        {
                            return (runId, ended.Info);
                        }
                    }
                    else if ((await LookUpAsync(runId, ct)).Info is { EndedAt: not null } info)
                    {
                        seenEnded[runId] = (info, Stopwatch.StartNew());
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The follow timed out: the run is looked up to say whether it is still going on the server (it did
    /// not end within the run timeout) or ended there (its end was lost on the way).</summary>
    private async Task<CheckFailedException> TimedOutAsync(IReadOnlyCollection<string> runIds, FrameTimeoutException timeout)
    {
        var frames = Diagnoser.Frames(timeout.LastFrames);
        var runId = Open(runIds).FirstOrDefault() ?? runIds.First();
        var (info, error) = await LookUpAsync(runId, cancellation);
        if (info is { EndedAt: not null })
        {
            return Fail(Capability.SocketDeliversRunEnd, await LostEndAsync(runId, info, timeout.Timeout, frames));
        }

        var delivered = socket.LastSeq(runId);
        if (info is not null)
        {
            return Fail(Capability.RunsEnd, new Diagnosis(DiagnosisKind.EventTimeout,
                $"{timeout.Message}: the run is still {info.Status} server-side (GET /api/runs/{runId} says {info.Status}, started {info.StartedAt ?? "not yet"}): it did not end within the run timeout",
                [$"GET /api/runs/{runId}: status {info.Status}, ended_at null", $"the socket delivered up to seq {delivered}", .. frames]));
        }

        return Fail(Capability.SocketDeliversRunEnd, new Diagnosis(DiagnosisKind.EventTimeout,
            $"{timeout.Message}; GET /api/runs/{runId} could not tell whether the run ended: {error}",
            [$"the socket delivered up to seq {delivered}", .. frames]));
    }

    /// <summary>The diagnosis of a run that ended on the server without its terminal event reaching the socket:
    /// what the server says, what the socket delivered, and what was stored after it.</summary>
    private async Task<Diagnosis> LostEndAsync(string runId, RunInfo info, TimeSpan waited, IReadOnlyList<string> frames)
    {
        var delivered = socket.LastSeq(runId);
        IReadOnlyList<RunEvent> stored = [];
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            bound.CancelAfter(settings.EventTimeout);
            (_, stored) = await user.Client.RunEventsAsync(runId, delivered, bound.Token);
        }
        catch (Exception ex) when (ex is MeridianApiException or HttpRequestException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            // The run's status alone still says the run ended; the events after the last delivered one are extra.
        }

        var terminal = stored.LastOrDefault(e => e.IsTerminal)?.Type ?? info.Status switch
        {
            "completed" => RunEvent.Completed,
            "failed" => RunEvent.Failed,
            _ => RunEvent.Stopped,
        };
        var undelivered = stored.Count == 0 ? "" : $"; {stored.Count} stored event(s) after seq {delivered} never arrived";
        return new Diagnosis(DiagnosisKind.EventTimeout,
            $"timeout after {waited.TotalSeconds:0.#} s waiting for the terminal event (agent_completed, agent_failed or agent_stopped) of {runId}: "
            + $"the run {info.Status} server-side (GET /api/runs/{runId} says {info.Status}, ended_at {info.EndedAt}) but the socket never delivered its terminal event {terminal}{undelivered}",
            [
                $"GET /api/runs/{runId}: status {info.Status}, ended_at {info.EndedAt}",
                $"the socket delivered up to seq {delivered}",
                .. stored.Take(5).Select(e => $"stored, not delivered: seq {e.Seq} {e.Type}"),
                .. frames,
            ]);
    }

    private async Task<(RunInfo? Info, string? Error)> LookUpAsync(string runId, CancellationToken ct)
    {
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(settings.EventTimeout);
            return (await user.Client.RunAsync(runId, bound.Token), null);
        }
        catch (MeridianApiException ex)
        {
            return (null, ex.Response.Describe());
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return (null, TransportFailure.RootMessage(ex));
        }
    }

    /// <summary>The runs whose terminal event the socket has not delivered.</summary>
    private IEnumerable<string> Open(IReadOnlyCollection<string> runIds)
    {
        var ended = socket.History.OfType<RunEvent>().Where(e => e.IsTerminal).Select(e => e.RunId).ToHashSet(StringComparer.Ordinal);
        return runIds.Where(r => !ended.Contains(r));
    }

    private string[] Frames() => Diagnoser.Frames(socket.History.TakeLast(10));

    private CheckFailedException Fail(Capability capability, Diagnosis diagnosis)
    {
        missing?.Invoke(capability, diagnosis);
        return new CheckFailedException(diagnosis);
    }

    private static Task Settled(Task task) => task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
