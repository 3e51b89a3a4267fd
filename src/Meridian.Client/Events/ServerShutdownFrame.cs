using System.Text.Json;

namespace Meridian.Client.Events;

/// <summary><c>server_shutdown</c> <c>{drain_seconds}</c>: the node drains; reconnect (to any node) and resume.</summary>
public sealed class ServerShutdownFrame(JsonElement raw, DateTimeOffset received) : ServerFrame(raw, received)
{
    public long? DrainSeconds => Raw.Number("drain_seconds");
}
