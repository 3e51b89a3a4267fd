using Meridian.Server.Errors;
using Meridian.Server.Storage;

namespace Meridian.Server.Runs;

/// <summary>Ends runs whose process died, so that no run is left without a terminal event. At start a node ends
/// the runs it left itself (with SQLite, every active run: there is only one node); afterwards it periodically
/// takes over runs of other nodes whose lease expired. Such a run ends with <c>agent_failed</c>
/// (<c>RUN_INTERRUPTED</c>, recoverable), after the tool calls and stages it left open are closed.</summary>
public sealed partial class RunRecovery(
    RunStore runs,
    RunEventStore events,
    IRunEventSink sink,
    RunNode node,
    Database database,
    TimeProvider clock,
    ILogger<RunRecovery> logger)
{
    public async Task<int> RecoverOwnAsync(CancellationToken cancellationToken)
    {
        var left = await runs.ActiveOfNodeAsync(database.IsPostgres ? node.Id : null, cancellationToken);
        foreach (var run in left)
        {
            await EndAsync(run, cancellationToken);
        }

        return left.Count;
    }

    public async Task<int> SweepAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        var ended = 0;
        foreach (var run in await runs.AbandonedAsync(50, cancellationToken))
        {
            if (await runs.ClaimAbandonedAsync(run.Id, node.Id, lease, cancellationToken))
            {
                await EndAsync(run, cancellationToken);
                ended++;
            }
        }

        return ended;
    }

    private async Task EndAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var stored = await events.ReadAsync(run.Id, 0, int.MaxValue, cancellationToken);
        var identity = run.Identity(clock.GetTimestamp());
        await using var emitter = stored.Count == 0
            ? await RunEmitter.StartAsync(identity, sink, clock, run.Agent, "Recovering an interrupted run", [], cancellationToken)
            : RunEmitter.Resume(identity, sink, clock, run.Agent, stored);

        var status = RunStatus.Failed;
        var code = ErrorCodes.RunInterrupted;
        const string message = "The server stopped while this run was in progress; send the message again.";
        if (emitter.IsTerminal)
        {
            // The terminal event was stored but the status was not: finish the row from the event.
            status = stored[^1].Type switch
            {
                RunEventTypes.AgentCompleted => RunStatus.Completed,
                RunEventTypes.AgentStopped => RunStatus.Stopped,
                _ => RunStatus.Failed,
            };
        }
        else
        {
            await emitter.FailAsync(code, message, recoverable: true, cancellationToken);
        }

        await runs.FinishAsync(run.Id, status, emitter.Seq, status == RunStatus.Failed ? code.Code : null, status == RunStatus.Failed ? message : null, null, cancellationToken);
        LogRecovered(run.Id, run.NodeId, status);
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "Run {RunId} of node {NodeId} was interrupted; ended as {Status}")]
    private partial void LogRecovered(string runId, string? nodeId, string status);
}
