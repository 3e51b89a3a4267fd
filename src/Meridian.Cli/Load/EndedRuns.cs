using System.Collections.Concurrent;
using Meridian.Client.Events;

namespace Meridian.Cli.Load;

/// <summary>Watches every run event a user's socket receives, on its receive loop, for events that arrive after
/// their run's terminal event: the terminal event carries a run's last seq, so any later event of the run is one
/// delivered again. A turn stops reading at the terminal event and would never see them; behind a load balancer
/// they are what a socket resumed on another node can get, when a replay of the stored events and the relay of
/// live ones overlap at the end of a run (docs/cli.md#3-meridian-load, docs/deploy.md#3-how-nodes-talk).</summary>
internal sealed class EndedRuns(LoadStats stats)
{
    private readonly ConcurrentDictionary<string, long> _lastSeq = new(StringComparer.Ordinal);

    /// <summary>For <see cref="Client.Socket.MeridianSocket.FrameReceived"/>.</summary>
    public void Observe(ServerFrame frame)
    {
        if (frame is not RunEvent { RunId: { } runId, Seq: { } seq } e)
        {
            return;
        }

        if (_lastSeq.TryGetValue(runId, out var last))
        {
            stats.AfterEnd(runId, seq, e.Type, last);
        }
        else if (e.IsTerminal)
        {
            _lastSeq[runId] = seq;
        }
    }
}
