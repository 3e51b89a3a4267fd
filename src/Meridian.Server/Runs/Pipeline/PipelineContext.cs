using Meridian.Server.Telemetry;
using Meridian.Server.Threads;

namespace Meridian.Server.Runs;

/// <summary>Everything a pipeline sees of its run.</summary>
public sealed class PipelineContext(
    RunRecord run,
    RunEmitter emitter,
    IReadOnlyList<MessageRecord> history,
    RunOptions options,
    TimeProvider clock,
    RunMetrics? metrics = null)
{
    public RunRecord Run { get; } = run;

    public string Input => Run.Input;

    /// <summary>The canonical agent the user asked for (<c>supervisor</c> for the whole pipeline).</summary>
    public string Agent => Run.Agent;

    /// <summary>Earlier messages of the thread, oldest first, not including this run's input.</summary>
    public IReadOnlyList<MessageRecord> History { get; } = history;

    public RunEmitter Emitter { get; } = emitter;

    /// <summary>Runs one stage between <c>subagent_started</c> and <c>subagent_completed</c>, bounded by the stage
    /// timeout, retrying <see cref="TransientException"/>s with backoff. A stage that fails or times out is recorded
    /// as <c>failed</c> and returned as a failed result; the run goes on. Cancelling the run propagates.</summary>
    public async Task<StageResult<T>> StageAsync<T>(
        string agent, string message, Func<CancellationToken, Task<StageResult<T>>> body, CancellationToken cancellationToken)
    {
        using var span = MeridianTelemetry.StartChild("stage", agent);
        span?.SetTag(MeridianTelemetry.Stage, agent);
        var scope = await Emitter.BeginStageAsync(agent, message, cancellationToken);
        var started = clock.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds);
        for (var attempt = 0; ; attempt++)
        {
            using var stage = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stage.CancelAfter(TimeSpan.FromSeconds(options.StageTimeoutSeconds));
            string error;
            try
            {
                var result = await body(stage.Token);
                await scope.CompleteAsync(result.Status, result.Summary, cancellationToken);
                span?.SetTag(MeridianTelemetry.Outcome, result.Status);
                metrics?.Stage(agent, result.Status, clock.GetElapsedTime(started).TotalSeconds);
                return result;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"{agent} did not finish within {options.StageTimeoutSeconds} s";
            }
            catch (TransientException ex) when (attempt < options.TransientRetries)
            {
                await Emitter.ThinkingAsync(agent, $"{ex.Message}; retrying ({attempt + 1} of {options.TransientRetries})", cancellationToken);
                await Task.Delay(delay, clock, cancellationToken);
                delay *= 2;
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not RunEndedException)
            {
                error = ex.Message;
            }

            await scope.CompleteAsync("failed", error, cancellationToken);
            span?.SetTag(MeridianTelemetry.Outcome, "failed").Fail(error);
            metrics?.Stage(agent, "failed", clock.GetElapsedTime(started).TotalSeconds);
            return StageResult<T>.Failed(error);
        }
    }
}
