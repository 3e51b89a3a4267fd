namespace Meridian.Cli.Load;

/// <summary>What the virtual users measured, gathered from all of them at once (every member is thread-safe).</summary>
internal sealed class LoadStats
{
    private const int SamplesPerKind = 5;

    private readonly Lock _lock = new();
    private readonly List<double> _connect = [];
    private readonly List<double> _firstEvent = [];
    private readonly List<double> _turn = [];
    private readonly SortedDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _samples = new(StringComparer.Ordinal);
    private readonly List<string> _seqViolations = [];
    private readonly List<string> _drops = [];

    public int UsersStarted;
    public int UsersConnected;
    public int TurnsStarted;
    public int TurnsCompleted;
    public int TurnsFailed;
    public int InFlight;
    public long Events;
    public long Lost;
    public long Duplicated;
    public int Reconnects;
    public int RateLimited;

    public void Connected(TimeSpan elapsed) => Add(_connect, elapsed);

    public void FirstEvent(TimeSpan elapsed) => Add(_firstEvent, elapsed);

    public void TurnDone(TimeSpan elapsed) => Add(_turn, elapsed);

    /// <summary>Counts an error by its kind (<c>connect_tcp</c>, <c>refused_RATE_LIMITED</c>, <c>turn_timeout</c>,
    /// <c>agent_failed_PIPELINE_ERROR</c>, …) and keeps the first few messages of each kind.</summary>
    public void Error(string kind, string message)
    {
        lock (_lock)
        {
            _errors[kind] = _errors.GetValueOrDefault(kind) + 1;
            var samples = _samples.TryGetValue(kind, out var list) ? list : _samples[kind] = [];
            if (samples.Count < SamplesPerKind)
            {
                samples.Add(message);
            }
        }
    }

    /// <summary>Notes a socket that dropped during a turn and was resumed (the first few, for the report).</summary>
    public void Drop(string message)
    {
        lock (_lock)
        {
            if (_drops.Count < SamplesPerKind)
            {
                _drops.Add(message);
            }
        }
    }

    /// <summary>Adds a run's seq checks: lost and duplicated events, and the first violations seen.</summary>
    public void Sequence(string runId, SeqTracker tracker)
    {
        Interlocked.Add(ref Lost, tracker.Lost);
        Interlocked.Add(ref Duplicated, tracker.Duplicated);
        lock (_lock)
        {
            _seqViolations.AddRange(tracker.Violations.Take(20 - _seqViolations.Count).Select(v => $"{runId}: {v}"));
        }
    }

    /// <summary>Counts an event that arrived after its run's terminal event (seq <paramref name="last"/>) as
    /// delivered again.</summary>
    public void AfterEnd(string runId, long seq, string type, long last)
    {
        Interlocked.Increment(ref Duplicated);
        lock (_lock)
        {
            if (_seqViolations.Count < 20)
            {
                _seqViolations.Add($"{runId}: seq {seq} ({type}) delivered again after the run ended at seq {last}");
            }
        }
    }

    public int ErrorCount
    {
        get
        {
            lock (_lock)
            {
                return _errors.Values.Sum();
            }
        }
    }

    public LoadSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new LoadSnapshot(
                UsersStarted, UsersConnected, TurnsStarted, TurnsCompleted, TurnsFailed, InFlight, Interlocked.Read(ref Events),
                Interlocked.Read(ref Lost), Interlocked.Read(ref Duplicated), Reconnects, RateLimited,
                Distribution.Of(_connect), Distribution.Of(_firstEvent), Distribution.Of(_turn),
                new SortedDictionary<string, int>(_errors, StringComparer.Ordinal),
                _samples.ToDictionary(s => s.Key, s => (IReadOnlyList<string>)[.. s.Value], StringComparer.Ordinal),
                [.. _seqViolations], [.. _drops]);
        }
    }

    private void Add(List<double> samples, TimeSpan elapsed)
    {
        lock (_lock)
        {
            samples.Add(elapsed.TotalMilliseconds);
        }
    }
}
