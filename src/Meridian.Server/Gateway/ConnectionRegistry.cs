using System.Collections.Concurrent;

namespace Meridian.Server.Gateway;

/// <summary>The open sockets of this node, for health, metrics, housekeeping and shutdown.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, GatewayConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public int Authenticated => _connections.Values.Count(c => c.User is not null);

    public int Users => _connections.Values.Select(c => c.User?.UserId).Where(u => u is not null).Distinct().Count();

    public int TotalQueueDepth => _connections.Values.Sum(c => c.QueueDepth);

    public IEnumerable<GatewayConnection> All => _connections.Values;

    public void Add(GatewayConnection connection) => _connections[connection.Id] = connection;

    public void Remove(GatewayConnection connection) => _connections.TryRemove(connection.Id, out _);
}
