namespace Meridian.Server.Runs;

/// <summary>Where an emitter's events go: stored first, then published (the log is the truth).</summary>
public interface IRunEventSink
{
    /// <summary>Takes <paramref name="runEvent"/> for the log. Events are stored and published in the order of the
    /// calls, so an emitter may have several in flight. The task completes once the event is stored and published,
    /// and faults when it could not be stored (it was then not published, and neither is any later event of its run
    /// until one with the missing seq is stored).</summary>
    Task WriteAsync(RunEvent runEvent, CancellationToken cancellationToken);
}
