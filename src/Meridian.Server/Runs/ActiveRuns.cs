using System.Collections.Concurrent;

namespace Meridian.Server.Runs;

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
