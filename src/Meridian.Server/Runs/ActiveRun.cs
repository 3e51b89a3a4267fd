using System.Diagnostics;

namespace Meridian.Server.Runs;

/// <summary>A run this node holds, from admission to its end: how to cancel it and, once started, its emitter.</summary>
public sealed class ActiveRun(RunRecord record)
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunRecord Record { get; } = record;

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Set once <c>agent_started</c> is written.</summary>
    public RunEmitter? Emitter { get; set; }

    /// <summary>The run's span while a tracer records it (docs/operations.md#7-traces).</summary>
    public Activity? Span { get; set; }

    /// <summary>Why the run was stopped, when it was.</summary>
    public string? StopReason { get; set; }

    public Task Ended => _ended.Task;

    internal void MarkEnded() => _ended.TrySetResult();
}
