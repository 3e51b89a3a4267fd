namespace Meridian.Cli.Load;

/// <summary>Checks one run's events as they arrive: seq must go 1, 2, 3, … A seq above the next expected one means
/// events were lost (the gap's size is counted); a seq at or below the last one is a duplicate.</summary>
internal sealed class SeqTracker
{
    private long _last;

    public long Last => _last;

    public long Lost { get; private set; }

    public long Duplicated { get; private set; }

    /// <summary>A line for each violation seen, for the report's samples.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Counts one event; returns false when it broke the sequence.</summary>
    public bool Add(long seq, string type)
    {
        if (seq <= _last)
        {
            Duplicated++;
            Violations.Add($"seq {seq} ({type}) delivered again after seq {_last}");
            return false;
        }

        if (seq != _last + 1)
        {
            Lost += seq - _last - 1;
            Violations.Add($"seq {seq} ({type}) where {_last + 1} was expected: {seq - _last - 1} event(s) missing");
            _last = seq;
            return false;
        }

        _last = seq;
        return true;
    }

    /// <summary>Events the server stored after the last one delivered, found after the run ended without its
    /// terminal event reaching the socket.</summary>
    public void Undelivered(long count, long lastStored)
    {
        Lost += count;
        Violations.Add($"{count} stored event(s) after seq {_last} never arrived (the run's log ends at seq {lastStored})");
    }
}
