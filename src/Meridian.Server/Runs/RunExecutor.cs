using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Hosting;
using Meridian.Server.Http;
using Meridian.Server.Telemetry;
using Meridian.Server.Threads;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Runs;

/// <summary>Executes one run from its turn to its terminal event and final status. Every path ends the run:
/// completion, failure, run timeout, stop, or shutdown (<c>agent_failed</c>, recoverable).</summary>
public sealed partial class RunExecutor(
    IRunPipeline pipeline,
    RunStore runs,
    MessageStore messages,
    IRunEventSink sink,
    ActiveRuns active,
    RunScheduler scheduler,
    IOptions<RunOptions> options,
    RunMetrics metrics,
    InFlightWork inflight,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<RunExecutor> logger)
{
    private const int HistoryMessages = 20;

    /// <summary>Executes a run this node accepted (SQLite) once the <see cref="RunScheduler"/> gives it a turn.</summary>
    public Task ExecuteAsync(ActiveRun run) => ExecuteAsync(run, WaitTurnAsync);

    /// <summary>Executes a run this node claimed (PostgreSQL, docs/runs.md#5-the-cluster-queue): already marked
    /// running, with <paramref name="turn"/> its place of this node's capacity, given back when the run ends. A run
    /// stopped before it began (or taken only to be stopped, without a turn) gets <c>agent_started</c> and
    /// <c>agent_stopped</c> at once.</summary>
    public Task ExecuteClaimedAsync(ActiveRun run, IDisposable? turn) => ExecuteAsync(run, _ => Task.FromResult<IDisposable?>(turn));

    private async Task ExecuteAsync(ActiveRun run, Func<ActiveRun, Task<IDisposable?>> takeTurn)
    {
        using var work = inflight.Begin();
        using var shutdown = lifetime.ApplicationStopping.Register(run.Cancellation.Cancel);
        var record = run.Record;
        using var span = run.Span = MeridianTelemetry.StartRun(record.Id, record.Agent);
        IDisposable? turn = null;
        try
        {
            turn = await takeTurn(run);
            if (turn is not null)
            {
                metrics.Waited((clock.GetUtcNow().ToUnixTimeMilliseconds() - record.CreatedAt) / 1000.0);
            }

            var emitter = await RunEmitter.StartAsync(
                record.Identity(clock.GetTimestamp()), sink, clock, record.Agent, Describe(record), pipeline.Plan(record.Agent), CancellationToken.None);
            await using (emitter)
            {
                bool stopped;
                lock (run)
                {
                    run.Emitter = emitter;
                    stopped = run.StopReason is not null;
                }

                if (stopped || turn is null)
                {
                    await EndEarlyAsync(run, emitter);
                    return;
                }

                await RunPipelineAsync(run, emitter);
            }
        }
        catch (Exception ex)
        {
            // Reached only when the event log itself cannot be written; recovery ends the run on the next sweep.
            LogUnwritable(ex, record.Id);
        }
        finally
        {
            turn?.Dispose();
            active.Remove(run);
        }
    }

    /// <summary>Waits for the run's turn on this node and marks it running; null when it was stopped (or the node
    /// shut down) while waiting: it still gets <c>agent_started</c> and its terminal event.</summary>
    private async Task<IDisposable?> WaitTurnAsync(ActiveRun run)
    {
        IDisposable? turn = null;
        try
        {
            turn = await scheduler.WaitTurnAsync(run.Record.UserId, run.Cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            // The scheduler has given the admission back.
        }

        try
        {
            await runs.MarkRunningAsync(run.Record.Id, CancellationToken.None);
            return turn;
        }
        catch
        {
            turn?.Dispose();
            throw;
        }
    }

    /// <summary>Writes <c>agent_stopped</c> now (whatever the pipeline is doing) and cancels the run's work.</summary>
    public async Task<bool> StopAsync(ActiveRun run, string reason)
    {
        RunEmitter? emitter;
        lock (run)
        {
            run.StopReason ??= reason;
            emitter = run.Emitter;
        }

        await run.Cancellation.CancelAsync();
        if (emitter is not null && await emitter.StopAsync(reason, CancellationToken.None))
        {
            await FinishAsync(run, emitter, RunStatus.Stopped, null, null, null);
            return true;
        }

        return emitter is null;
    }

    private async Task RunPipelineAsync(ActiveRun run, RunEmitter emitter)
    {
        var record = run.Record;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.RunTimeoutSeconds));
        try
        {
            var history = (await messages.RecentAsync(record.ThreadId, HistoryMessages + 1, timeout.Token))
                .Where(m => m.RunId != record.Id).TakeLast(HistoryMessages).ToList();
            var result = await pipeline.RunAsync(new PipelineContext(record, emitter, history, options.Value, clock, metrics), timeout.Token);
            var storeReply = () => messages.AddAsync(record.ThreadId, record.UserId, MessageRoles.Assistant, result.Response, record.Id, CancellationToken.None);
            if (await emitter.CompleteAsync(result.Response, result.Result, result.Usage, storeReply, CancellationToken.None))
            {
                await FinishAsync(run, emitter, RunStatus.Completed, null, null, JsonSerializer.Serialize(result.Usage, Json.Options));
            }
        }
        catch (Exception) when (run.StopReason is not null)
        {
            // StopAsync has written agent_stopped and the final status.
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await FailAsync(run, emitter, ErrorCodes.ServerShutdown, "The server shut down before the run finished; send the message again.");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            await FailAsync(run, emitter, ErrorCodes.RunTimeout, $"The run did not finish within {options.Value.RunTimeoutSeconds} s.");
        }
        catch (Exception ex)
        {
            LogPipelineFault(ex, record.Id);
            await FailAsync(run, emitter, ErrorCodes.PipelineError, "An unexpected error ended the run; it has been logged.");
        }
    }

    private async Task EndEarlyAsync(ActiveRun run, RunEmitter emitter)
    {
        if (run.StopReason is { } reason)
        {
            if (await emitter.StopAsync(reason, CancellationToken.None))
            {
                await FinishAsync(run, emitter, RunStatus.Stopped, null, null, null);
            }
        }
        else
        {
            await FailAsync(run, emitter, ErrorCodes.ServerShutdown, "The server shut down before the run started; send the message again.");
        }
    }

    private async Task FailAsync(ActiveRun run, RunEmitter emitter, ErrorCode code, string message)
    {
        if (await emitter.FailAsync(code, message, recoverable: true, CancellationToken.None))
        {
            await FinishAsync(run, emitter, RunStatus.Failed, code.Code, message, null);
        }
    }

    private async Task FinishAsync(ActiveRun run, RunEmitter emitter, string status, string? code, string? message, string? usage)
    {
        await runs.FinishAsync(run.Record.Id, status, emitter.Seq, code, message, usage, CancellationToken.None);
        metrics.Ended(status, clock.GetElapsedTime(emitter.Run.StartedAt).TotalSeconds, emitter.Seq);
        run.Span?.SetTag(MeridianTelemetry.Outcome, status);
        if (code is not null)
        {
            run.Span.Fail(code);
        }
    }

    private static string Describe(RunRecord record)
    {
        return $"Working on: {Excerpt.Of(record.Input, 80)}";
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "Run {RunId}: the pipeline failed unexpectedly")]
    private partial void LogPipelineFault(Exception ex, string runId);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Run {RunId}: its events could not be written; it will be ended by recovery")]
    private partial void LogUnwritable(Exception ex, string runId);
}
