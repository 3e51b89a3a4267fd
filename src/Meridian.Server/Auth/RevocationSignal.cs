namespace Meridian.Server.Auth;

/// <summary>Tells this process at once when a token, a session or an account is revoked here, so open sockets
/// are closed without waiting for the periodic check (which covers changes made in the database directly or by
/// another node). Raised after the database write, on the revoking request's thread: listeners must be quick and
/// must not throw.</summary>
internal sealed class RevocationSignal
{
    private readonly List<Action<Revocation>> _listeners = [];

    public void Subscribe(Action<Revocation> listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
    }

    public void Publish(Revocation revocation)
    {
        Action<Revocation>[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener(revocation);
        }
    }
}
