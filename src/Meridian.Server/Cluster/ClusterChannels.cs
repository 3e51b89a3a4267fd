namespace Meridian.Server.Cluster;

/// <summary>The PostgreSQL notification channels nodes of one database talk on (docs/deploy.md#3-how-nodes-talk).</summary>
public static class ClusterChannels
{
    /// <summary>Run events were stored: the payload names the runs and seq ranges of one commit (<see cref="EventNotice"/>).</summary>
    public const string Events = "meridian_events";

    /// <summary>Stops and revocations for the other nodes (<see cref="ControlMessage"/>).</summary>
    public const string Control = "meridian_control";
}
