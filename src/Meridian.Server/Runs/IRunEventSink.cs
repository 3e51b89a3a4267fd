namespace Meridian.Server.Runs;

/// <summary>Where an emitter's events go: stored first, then published (the log is the truth).</summary>
public interface IRunEventSink
{
    Task WriteAsync(RunEvent runEvent, CancellationToken cancellationToken);
}

/// <summary>Appends each event to <see cref="RunEventStore"/> and only then publishes it on <see cref="RunBus"/>,
/// so whatever a socket receives can be replayed later.</summary>
public sealed class StoredRunEventSink(RunEventStore store, RunBus bus) : IRunEventSink
{
    public async Task WriteAsync(RunEvent runEvent, CancellationToken cancellationToken)
    {
        await store.AppendAsync(runEvent, cancellationToken);
        bus.Publish(runEvent);
    }
}
