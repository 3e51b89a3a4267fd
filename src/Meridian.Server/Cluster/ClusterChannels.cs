namespace Meridian.Server.Cluster;

/// <summary>The PostgreSQL notification channels nodes of one database talk on (docs/deploy.md#3-how-nodes-talk).</summary>
public static class ClusterChannels
{
    /// <summary>Run events were stored: the payload names the runs and seq ranges of one commit (<see cref="EventNotice"/>).</summary>
    public const string Events = "meridian_events";

    /// <summary>Stops and revocations for the other nodes (<see cref="ControlMessage"/>).</summary>
    public const string Control = "meridian_control";

    /// <summary>A run was put into the cluster queue (accepted, or handed back by a draining node): nodes with room
    /// claim (docs/runs.md#5-the-cluster-queue). The payload is the sending node's id.</summary>
    public const string RunQueued = "meridian_run_queued";
}
