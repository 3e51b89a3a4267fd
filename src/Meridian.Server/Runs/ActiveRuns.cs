using System.Collections.Concurrent;

namespace Meridian.Server.Runs;

/// <summary>A run this node holds, from admission to its end: how to cancel it and, once started, its emitter.</summary>
public sealed class ActiveRun(RunRecord record)
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunRecord Record { get; } = record;

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Set once <c>agent_started</c> is written.</summary>
    public RunEmitter? Emitter { get; set; }

    /// <summary>Why the run was stopped, when it was.</summary>
    public string? StopReason { get; set; }

    public Task Ended => _ended.Task;

    internal void MarkEnded() => _ended.TrySetResult();
}

/// <summary>The runs this node holds, by id.</summary>
public sealed class ActiveRuns
{
    private readonly ConcurrentDictionary<string, ActiveRun> _runs = new(StringComparer.Ordinal);

    public int Count => _runs.Count;

    public IReadOnlyCollection<string> Ids => [.. _runs.Keys];

    public void Add(ActiveRun run) => _runs[run.Record.Id] = run;

    public ActiveRun? Get(string runId) => _runs.GetValueOrDefault(runId);

    public IEnumerable<ActiveRun> OfUser(string userId) => _runs.Values.Where(r => r.Record.UserId == userId);

    public void Remove(ActiveRun run)
    {
        _runs.TryRemove(run.Record.Id, out _);
        run.MarkEnded();
    }
}
