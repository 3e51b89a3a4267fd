using Meridian.Server.Agents;
using Meridian.Server.Errors;
using Meridian.Server.Hosting;
using Meridian.Server.Http;
using Meridian.Server.Threads;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Runs;

/// <summary>The run runtime's front door, used by the WebSocket gateway and the REST API alike. Every method
/// takes the caller's user id and never acts on, or reveals, another user's threads or runs.</summary>
public sealed class RunService(
    ThreadStore threads,
    RunStore runs,
    RunReplay replay,
    RunExecutor executor,
    ActiveRuns active,
    IRunPeers peers,
    IRunIntake intake,
    RunEndWatch watch,
    RunNode node,
    StartupState state,
    IOptions<RunOptions> options)
{
    private const int RetryAfterMs = 2000;

    public async Task<StartRunResult> StartAsync(string userId, StartRunRequest request, CancellationToken cancellationToken)
    {
        var text = request.Text?.Trim() ?? "";
        if (text.Length == 0)
        {
            return StartRunResult.Refused(ErrorCodes.EmptyMessage, "The message has no text.");
        }

        if (text.Length > options.Value.MaxInputLength)
        {
            return StartRunResult.Refused(ErrorCodes.MessageTooLong, $"The message is longer than {options.Value.MaxInputLength} characters.");
        }

        if (AgentCatalog.Resolve(request.Agent) is not { } agent)
        {
            return StartRunResult.Refused(ErrorCodes.UnknownAgent, $"There is no agent named '{request.Agent}'. Known agents: {string.Join(", ", AgentCatalog.All.Select(a => a.Name))}.");
        }

        if (!state.IsAcceptingWork)
        {
            return StartRunResult.Refused(ErrorCodes.Draining, "This node is shutting down; reconnect and send the message again.", RetryAfterMs);
        }

        var thread = await ResolveThreadAsync(userId, request.ThreadId, text, cancellationToken);
        if (thread.Error is not null)
        {
            return thread.Error;
        }

        if (await intake.AcceptAsync(thread.Id!, userId, agent, text, cancellationToken) is not { } record)
        {
            return StartRunResult.Refused(ErrorCodes.RateLimited,
                $"Too many runs at once: at most {options.Value.MaxConcurrentRunsPerUser} run and {options.Value.MaxQueuedRunsPerUser} wait; retry when one ends.",
                RetryAfterMs);
        }

        await threads.TouchAsync(thread.Id!, Title(text), CancellationToken.None);
        return new StartRunResult(record.Id, record.ThreadId, null, null);
    }

    /// <summary>Stops one of the user's runs wherever it is: held here, waiting in the cluster queue (ended here
    /// then), or held by another node; false when there is no such active run of theirs.</summary>
    public async Task<bool> StopAsync(string userId, string runId, string reason)
    {
        if (active.Get(runId) is { } run)
        {
            return run.Record.UserId == userId && await executor.StopAsync(run, reason);
        }

        if (!peers.Enabled || await GetAsync(userId, runId, CancellationToken.None) is not { } record || !RunStatus.IsActive(record.Status))
        {
            return false;
        }

        if (record.NodeId is null && await intake.StopWaitingAsync(record, reason))
        {
            return true;
        }

        // Claimed meanwhile: by this node (held here before its claim committed) or by another.
        if (active.Get(runId) is { } claimed)
        {
            return await executor.StopAsync(claimed, reason);
        }

        return await runs.GetAsync(runId, CancellationToken.None) is { } now && IsElsewhere(now) && await peers.StopAsync(now, reason, CancellationToken.None);
    }

    /// <summary>Stops the user's active runs, on one thread or on all, wherever they are; returns the ids stopped.</summary>
    public async Task<IReadOnlyList<string>> StopActiveAsync(string userId, string? threadId, string reason)
    {
        var ids = active.OfUser(userId).Where(r => threadId is null || r.Record.ThreadId == threadId).Select(r => r.Record.Id).ToList();
        if (peers.Enabled)
        {
            ids.AddRange((await runs.ActiveByUserAsync(userId, CancellationToken.None)).Where(r => threadId is null || r.ThreadId == threadId).Select(r => r.Id));
        }

        var results = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Select(async id => await StopAsync(userId, id, reason) ? id : null));
        return [.. results.OfType<string>()];
    }

    /// <summary>An active run this node does not hold (another node executes it).</summary>
    private bool IsElsewhere(RunRecord run) => RunStatus.IsActive(run.Status) && run.NodeId != node.Id && active.Get(run.Id) is null;

    /// <summary>The run when it belongs to the user; null otherwise (do not reveal that it exists).</summary>
    public async Task<RunRecord?> GetAsync(string userId, string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        return run?.UserId == userId ? run : null;
    }

    public Task<IReadOnlyList<RunRecord>> ActiveAsync(string userId, CancellationToken cancellationToken) =>
        runs.ActiveByUserAsync(userId, cancellationToken);

    /// <summary>The run's events after <paramref name="afterSeq"/>: stored, then live, until its terminal event.</summary>
    public IAsyncEnumerable<RunEvent> EventsAsync(RunRecord run, long afterSeq, CancellationToken cancellationToken) =>
        replay.ReadAsync(run.Identity(0), afterSeq, cancellationToken);

    /// <summary>Waits until the run ends, wherever it executes, or <paramref name="timeout"/> passes; returns the run as it is then.</summary>
    public async Task<RunRecord?> WaitAsync(RunRecord run, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (active.Get(run.Id) is { } held)
        {
            await Task.WhenAny(held.Ended, Task.Delay(timeout, cancellationToken));
            return await runs.GetAsync(run.Id, cancellationToken);
        }

        // Waiting in the cluster queue or executing on another node.
        return peers.Enabled ? await watch.WaitAsync(run, timeout, cancellationToken) : await runs.GetAsync(run.Id, cancellationToken);
    }

    private async Task<(string? Id, StartRunResult? Error)> ResolveThreadAsync(
        string userId, string? requested, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            var recent = await threads.MostRecentActiveAsync(userId, cancellationToken)
                ?? await threads.CreateAsync(userId, null, Title(text), cancellationToken);
            return (recent.Id, null);
        }

        if (!ThreadIds.IsValid(requested))
        {
            return (null, StartRunResult.Refused(ErrorCodes.InvalidThreadId, "thread_id must be 1–128 letters, digits, '_' or '-'."));
        }

        var thread = await threads.GetAsync(requested, cancellationToken)
            ?? await threads.CreateAsync(userId, requested, Title(text), cancellationToken);
        return thread.UserId == userId
            ? (thread.Id, null)
            : (null, StartRunResult.Refused(ErrorCodes.ThreadAccessDenied, "That thread belongs to another user."));
    }

    private static string Title(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return Excerpt.Of(line, 60);
    }
}
