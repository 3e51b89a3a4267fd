using System.Diagnostics.Metrics;
using Meridian.Server.Runs;

namespace Meridian.Server.Cluster;

/// <summary>Which node this is, how its link to the other nodes fares (docs/deploy.md#3-how-nodes-talk), and what it
/// sees of the cluster queue (docs/runs.md#5-the-cluster-queue).</summary>
internal sealed class ClusterMetrics
{
    public ClusterMetrics(IMeterFactory meters, RunNode node, ClusterListener listener, RemoteEventRelay relay, RunDispatcher dispatcher)
    {
        var meter = meters.Create("Meridian.Cluster");
        var nodeTag = new KeyValuePair<string, object?>("node", node.Id);
        meter.CreateObservableGauge("meridian.node.info", () => new Measurement<int>(1, nodeTag), description: "1, labelled with this node's id (Runs:NodeId).");
        meter.CreateObservableGauge("meridian.cluster.listener_connected", () => listener.Connected ? 1 : 0, description: "1 while this node listens to the other nodes (PostgreSQL only).");
        meter.CreateObservableCounter("meridian.cluster.listener_reconnects", () => listener.Reconnects, description: "Times the listening connection was re-established after a failure.");
        meter.CreateObservableCounter("meridian.cluster.relayed_events", () => relay.Relayed, description: "Run events other nodes stored that this node published to its sockets.");
        meter.CreateObservableGauge("meridian.cluster.queued_runs", () => dispatcher.Waiting, description: "Runs waiting in the cluster queue, all nodes together, when this node last looked (PostgreSQL only).");
        meter.CreateObservableCounter("meridian.cluster.claimed_runs", () => dispatcher.Claimed, description: "Runs this node claimed from the cluster queue (PostgreSQL only).");
        meter.CreateObservableCounter("meridian.cluster.handed_back_runs", () => dispatcher.HandedBack, description: "Claimed runs this node handed back to the queue unbegun while draining.");
    }
}
