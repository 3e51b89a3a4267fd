using Meridian.Client.Events;

namespace Meridian.Client.Socket;

/// <summary>No frame matching what the caller waited for arrived in time.</summary>
public sealed class FrameTimeoutException(string waitingFor, TimeSpan timeout, IReadOnlyList<ServerFrame> lastFrames)
    : TimeoutException($"timeout after {timeout.TotalSeconds:0.#} s waiting for {waitingFor}")
{
    public string WaitingFor { get; } = waitingFor;

    public TimeSpan Timeout { get; } = timeout;

    public IReadOnlyList<ServerFrame> LastFrames { get; } = lastFrames;
}
