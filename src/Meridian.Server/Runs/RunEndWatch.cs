namespace Meridian.Server.Runs;

/// <summary>Waits for a run to end, wherever it executes: its terminal event on this node's <see cref="RunBus"/>
/// (events of runs executing on other nodes are published there too, docs/deploy.md#3-how-nodes-talk), checked
/// against the runs table, which records the final status just after the terminal event.</summary>
public sealed class RunEndWatch(RunBus bus, RunStore runs)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(250);

    /// <summary>The run once it has ended, or as it is when <paramref name="timeout"/> has passed.</summary>
    public async Task<RunRecord?> WaitAsync(RunRecord run, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = bus.SubscribeRun(run.Id, (RunEvent e) =>
        {
            if (e.IsTerminal)
            {
                ended.TrySetResult();
            }
        });
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var now = await runs.GetAsync(run.Id, wait.Token);
                if (now is null || !RunStatus.IsActive(now.Status))
                {
                    return now;
                }

                await Task.WhenAny(ended.Task, Task.Delay(Recheck, wait.Token));
                if (ended.Task.IsCompleted)
                {
                    await Task.Delay(Recheck / 10, wait.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await runs.GetAsync(run.Id, cancellationToken);
        }
    }
}
