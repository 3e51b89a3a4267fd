using Meridian.Client.Events;

namespace Meridian.Client.Socket;

/// <summary>The last seq received of every run a socket saw, and which of them ended: what a reconnect resumes
/// from (the <c>resume</c> frame, docs/protocol.md#3-frames).</summary>
internal sealed class RunPositions
{
    private readonly Dictionary<string, long> _lastSeq = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);

    /// <summary>The last seq received of a run (0 when none).</summary>
    public long LastSeq(string runId)
    {
        lock (_lastSeq)
        {
            return _lastSeq.GetValueOrDefault(runId);
        }
    }

    /// <summary>Notes a received frame; false when it is a run event already delivered and
    /// <paramref name="dropReplayed"/> says to drop it.</summary>
    public bool Track(ServerFrame frame, bool dropReplayed)
    {
        if (frame is RunEvent { RunId: { } run, Seq: { } seq } e)
        {
            lock (_lastSeq)
            {
                var last = _lastSeq.GetValueOrDefault(run);
                if (seq <= last && dropReplayed)
                {
                    return false;
                }

                _lastSeq[run] = Math.Max(last, seq);
                if (e.IsTerminal)
                {
                    _ended.Add(run);
                }
            }
        }
        else if (frame is RunAcceptedFrame { RunId: { } accepted })
        {
            lock (_lastSeq)
            {
                _lastSeq.TryAdd(accepted, 0);
            }
        }

        return true;
    }

    /// <summary>Every run seen start but not end, with its last seq.</summary>
    public List<(string Run, long Seq)> Unfinished()
    {
        lock (_lastSeq)
        {
            return _lastSeq.Where(r => !_ended.Contains(r.Key)).Select(r => (r.Key, r.Value)).ToList();
        }
    }
}
