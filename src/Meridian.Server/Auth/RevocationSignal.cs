namespace Meridian.Server.Auth;

/// <summary>Tells this process at once when a token, a session or an account is revoked here or on another node, so
/// open sockets are closed without waiting for the periodic check (which covers changes made in the database
/// directly). Raised after the database write, on the revoking request's thread: listeners must be quick and must
/// not throw. Relays pass revocations made here on to the other nodes (docs/deploy.md#3-how-nodes-talk).</summary>
internal sealed class RevocationSignal
{
    private readonly List<Action<Revocation>> _listeners = [];
    private readonly List<Action<Revocation>> _relays = [];

    public void Subscribe(Action<Revocation> listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
    }

    /// <summary>Revocations made on this node, to pass on to the others.</summary>
    public void SubscribeRelay(Action<Revocation> relay)
    {
        lock (_listeners)
        {
            _relays.Add(relay);
        }
    }

    /// <summary>A revocation made on this node: its listeners, then the relays.</summary>
    public void Publish(Revocation revocation)
    {
        Notify(_listeners, revocation);
        Notify(_relays, revocation);
    }

    /// <summary>A revocation another node made: this node's listeners only.</summary>
    public void PublishFromPeer(Revocation revocation) => Notify(_listeners, revocation);

    private void Notify(List<Action<Revocation>> targets, Revocation revocation)
    {
        Action<Revocation>[] listeners;
        lock (_listeners)
        {
            listeners = [.. targets];
        }

        foreach (var listener in listeners)
        {
            listener(revocation);
        }
    }
}
