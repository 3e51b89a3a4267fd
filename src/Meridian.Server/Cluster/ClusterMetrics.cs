using System.Diagnostics.Metrics;
using Meridian.Server.Runs;

namespace Meridian.Server.Cluster;

/// <summary>Which node this is, and how its link to the other nodes fares (docs/deploy.md#3-how-nodes-talk).</summary>
internal sealed class ClusterMetrics
{
    public ClusterMetrics(IMeterFactory meters, RunNode node, ClusterListener listener, RemoteEventRelay relay)
    {
        var meter = meters.Create("Meridian.Cluster");
        var nodeTag = new KeyValuePair<string, object?>("node", node.Id);
        meter.CreateObservableGauge("meridian.node.info", () => new Measurement<int>(1, nodeTag), description: "1, labelled with this node's id (Runs:NodeId).");
        meter.CreateObservableGauge("meridian.cluster.listener_connected", () => listener.Connected ? 1 : 0, description: "1 while this node listens to the other nodes (PostgreSQL only).");
        meter.CreateObservableCounter("meridian.cluster.listener_reconnects", () => listener.Reconnects, description: "Times the listening connection was re-established after a failure.");
        meter.CreateObservableCounter("meridian.cluster.relayed_events", () => relay.Relayed, description: "Run events other nodes stored that this node published to its sockets.");
    }
}
