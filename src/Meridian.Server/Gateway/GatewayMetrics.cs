using System.Diagnostics.Metrics;

namespace Meridian.Server.Gateway;

/// <summary>Open sockets, frames in and out by type, send-queue depth, closes by code.</summary>
internal sealed class GatewayMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _closes;
    private readonly Counter<long> _paced;

    public GatewayMetrics(IMeterFactory meters, ConnectionRegistry registry)
    {
        var meter = meters.Create("Meridian.Gateway");
        _received = meter.CreateCounter<long>("meridian.ws.frames_received", description: "Client frames received, by type.");
        _sent = meter.CreateCounter<long>("meridian.ws.frames_sent", description: "Frames sent to clients, by type.");
        _closes = meter.CreateCounter<long>("meridian.ws.closes", description: "Closes the server initiated, by close code (not its answers to a client's close, nor connections cut without a close frame).");
        _paced = meter.CreateCounter<long>("meridian.ws.paced_collections", description: "Gen0 collections asked for while accepting sockets.");
        meter.CreateObservableGauge("meridian.ws.connections", () => registry.Count, description: "Open WebSocket connections.");
        meter.CreateObservableGauge("meridian.ws.send_queue_depth", () => registry.TotalQueueDepth, description: "Frames waiting in all send queues.");
    }

    public void Received(string type) => _received.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Sent(string type, int count = 1) => _sent.Add(count, new KeyValuePair<string, object?>("type", type));

    public void PacedCollection() => _paced.Add(1);

    public void ClosedBy(int code) => _closes.Add(1, new KeyValuePair<string, object?>("code", code));
}
