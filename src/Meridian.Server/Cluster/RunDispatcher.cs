using Meridian.Server.Hosting;
using Meridian.Server.Runs;
using Meridian.Server.Storage;

namespace Meridian.Server.Cluster;

/// <summary>This node's side of the cluster queue (docs/runs.md#5-the-cluster-queue): while it has room (a place of
/// <see cref="RunOptions.MaxConcurrentRuns"/>) it claims the oldest claimable run and executes it. It wakes when a
/// run is queued anywhere (<see cref="ClusterChannels.RunQueued"/>), when one of its runs ends, and every
/// <see cref="Poll"/> regardless, so a lost notification only delays a run. A draining node claims nothing more and
/// hands back the runs it claimed but has not begun; the runs it executes finish within the drain time.</summary>
internal sealed partial class RunDispatcher(
    Database database,
    RunQueueStore store,
    RunScheduler scheduler,
    RunExecutor executor,
    ActiveRuns active,
    StartupState state,
    ILogger<RunDispatcher> logger) : BackgroundService, IHostedLifecycleService
{
    /// <summary>How often the node looks at the queue without being told to.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _busy = new(1, 1);
    private volatile bool _stopping;
    private bool _handedBack;
    private long _waiting;
    private long _claimed;
    private long _returned;

    /// <summary>Runs waiting in the cluster queue when this node last looked.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Runs this node claimed, at acceptance or from the queue.</summary>
    public long Claimed => Interlocked.Read(ref _claimed);

    /// <summary>Runs this node handed back to the queue while draining.</summary>
    public long HandedBack => Interlocked.Read(ref _returned);

    /// <summary>Looks at the queue now (a notification, a run that ended here).</summary>
    public void Wake()
    {
        lock (_wake)
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    /// <summary>Executes a run this node has claimed, holding <paramref name="slot"/> until it ends. A claim that
    /// meets a drain begun meanwhile goes back to the queue unbegun.</summary>
    public void Start(ActiveRun run, IDisposable slot)
    {
        Interlocked.Increment(ref _claimed);
        var turn = new Turn(this, slot);
        _ = Task.Run(async () =>
        {
            if (Draining && run.StopReason is null)
            {
                await HandBackAsync(run, turn);
                return;
            }

            await executor.ExecuteClaimedAsync(run, turn);
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres)
        {
            return;
        }

        while (true)
        {
            await _wake.WaitAsync(Poll, stoppingToken);
            if (!state.IsStarted)
            {
                continue;
            }

            await _busy.WaitAsync(stoppingToken);
            try
            {
                await (Draining ? HandBackUnbegunAsync(stoppingToken) : ClaimWhileRoomAsync(stoppingToken));
                Interlocked.Exchange(ref _waiting, await store.CountWaitingAsync(stoppingToken));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(ex);
            }
            finally
            {
                _busy.Release();
            }
        }
    }

    /// <summary>The host is stopping (after or before the drain's wait): whatever the poll has not handed back yet
    /// goes back now, before the process exits.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (!database.IsPostgres || !state.IsStarted)
        {
            return;
        }

        await _busy.WaitAsync(cancellationToken);
        try
        {
            await HandBackUnbegunAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            LogDispatchFailed(ex);
        }
        finally
        {
            _busy.Release();
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _wake.Dispose();
        _busy.Dispose();
        base.Dispose();
    }

    /// <summary>No claims once the node drains or stops.</summary>
    private bool Draining => state.IsDraining || _stopping;

    private async Task ClaimWhileRoomAsync(CancellationToken cancellationToken)
    {
        while (!Draining && scheduler.TryTakeSlot() is { } slot)
        {
            ActiveRun? run;
            try
            {
                run = await store.ClaimNextAsync(cancellationToken);
            }
            catch
            {
                slot.Dispose();
                throw;
            }

            if (run is null)
            {
                slot.Dispose();
                return;
            }

            Start(run, slot);
        }
    }

    /// <summary>Once, when the drain begins: runs the table says this node claimed, that it neither executes nor is
    /// about to (those are handed back by <see cref="Start"/>), and that have no event, go back to the queue.</summary>
    private async Task HandBackUnbegunAsync(CancellationToken cancellationToken)
    {
        if (_handedBack)
        {
            return;
        }

        var count = await store.HandBackAsync(null, active.Ids, cancellationToken);
        _handedBack = true;
        Returned(count);
    }

    private async Task HandBackAsync(ActiveRun run, IDisposable turn)
    {
        try
        {
            Returned(await store.HandBackAsync(run.Record.Id, [], CancellationToken.None));
        }
        catch (Exception ex)
        {
            // The run stays claimed by this node without an executor: recovery ends it once its lease lapses.
            LogDispatchFailed(ex);
        }
        finally
        {
            turn.Dispose();
            active.Remove(run);
        }
    }

    private void Returned(int count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _returned, count);
            LogHandedBack(count);
        }
    }

    /// <summary>A run of this node ended: its place is free, and so is one of its user's. A draining node claims
    /// nothing, so it tells the others instead.</summary>
    private void Ended()
    {
        if (!Draining)
        {
            Wake();
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await store.NotifyAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The other nodes' poll finds the run.
                LogDispatchFailed(ex);
            }
        });
    }

    [LoggerMessage(EventId = 930, Level = LogLevel.Warning, Message = "Claiming runs from the cluster queue failed; retrying at the next wake-up")]
    private partial void LogDispatchFailed(Exception ex);

    [LoggerMessage(EventId = 931, Level = LogLevel.Information, Message = "Draining: {Count} claimed runs that had not begun went back to the cluster queue")]
    private partial void LogHandedBack(int count);

    /// <summary>A claimed run's place of this node's capacity; giving it back wakes the dispatcher.</summary>
    private sealed class Turn(RunDispatcher dispatcher, IDisposable slot) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                slot.Dispose();
                dispatcher.Ended();
            }
        }
    }
}
