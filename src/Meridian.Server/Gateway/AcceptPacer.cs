using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>Keeps garbage-collection pauses short while sockets arrive in numbers (a deploy, a reconnect storm).
/// Every accepted socket leaves ~14 KB of objects that live as long as it does, and each gen0 collection copies
/// whatever of that arrived since the one before (then a gen1 collection copies it again). The runtime sizes gen0
/// from the CPU's cache: on a machine with a 36 MB L3 it allows ~18 MB of allocation between collections, so during a
/// storm each collection copies a few hundred sockets' state in one 20–80 ms pause, and every handshake in flight
/// waits that long. Asking for a gen0 collection, when a socket has just been accepted and
/// <see cref="GatewayOptions.AcceptGen0BudgetBytes"/> have been allocated since the last collection, makes the same
/// copying happen in pauses of a few milliseconds. The runtime's own setting (<c>DOTNET_GCgen0size</c>) does the same
/// for the whole process but is read from the environment only; with it at or below this budget the runtime collects
/// first and this never fires. Between storms it costs nothing: it only looks at the allocation count per accept.</summary>
internal sealed class AcceptPacer(IOptions<GatewayOptions> options, GatewayMetrics metrics)
{
    private readonly Lock _lock = new();
    private int _collections = -1;
    private long _allocatedAtCollection;

    /// <summary>Collections this pacer asked for.</summary>
    public long Collections { get; private set; }

    public void Accepted()
    {
        var budget = options.Value.AcceptGen0BudgetBytes;
        if (budget <= 0)
        {
            return;
        }

        lock (_lock)
        {
            // The allocation count as first seen after each collection stands in for the count at the collection.
            var collections = GC.CollectionCount(0);
            var allocated = GC.GetTotalAllocatedBytes();
            if (collections != _collections)
            {
                _collections = collections;
                _allocatedAtCollection = allocated;
                return;
            }

            if (allocated - _allocatedAtCollection < budget)
            {
                return;
            }

            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            _collections = GC.CollectionCount(0);
            _allocatedAtCollection = GC.GetTotalAllocatedBytes();
            Collections++;
        }

        metrics.PacedCollection();
    }
}
