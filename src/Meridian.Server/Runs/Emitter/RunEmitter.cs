using System.Buffers;
using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Tools;

namespace Meridian.Server.Runs;

/// <summary>The one writer of a run's events. It makes the guarantees of docs/runs.md#2-events hold by construction:
/// <c>agent_started</c> is written when the emitter is created; <c>seq</c> is assigned here, one at a time, and
/// an event is stored before it is published (the sink stores events in the order they are written, so up to
/// <see cref="MaxInFlight"/> of them may be on their way to the log while the run goes on; the terminal event is
/// stored before the emitter says the run ended); the first terminal event closes every open tool call and stage
/// (so every <c>tool_executing</c> and <c>subagent_started</c> has its completion) and nothing is accepted after
/// it; and a run silent for longer than <see cref="SilenceLimit"/> gets an <c>agent_thinking</c> progress event.</summary>
/// <remarks>A run's life here: <see cref="StartAsync"/> (or <see cref="Resume"/> after a crash); then stages
/// (<see cref="BeginStageAsync"/>), tool calls (<see cref="ToolAsync{T}"/>), reasoning and answer text; then one
/// terminal event (<see cref="CompleteAsync"/>, <see cref="FailAsync"/> or <see cref="StopAsync"/>). Every write goes
/// through <see cref="WriteLockedAsync"/> under one gate.</remarks>
public sealed class RunEmitter : IAsyncDisposable
{
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(1.5);

    /// <summary>Events of this run handed to the sink and not yet stored, at most: a run that streams faster than
    /// the log commits waits here, instead of queueing without bound.</summary>
    public const int MaxInFlight = 128;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IRunEventSink _sink;
    private readonly TimeProvider _clock;
    private readonly string _runAgent;
    private readonly int _totalSteps;
    private readonly OpenScopes _open = new();
    private readonly InFlightEvents _inFlight;
    private readonly ITimer _watchdog;

    /// <summary>Each event is written here (under the gate), then copied out at its exact size.</summary>
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;

    private long _seq;
    private long _lastEventAt;
    private bool _terminal;

    private RunEmitter(RunIdentity run, IRunEventSink sink, TimeProvider clock, string runAgent, int totalSteps, long lastSeq)
    {
        Run = run;
        _sink = sink;
        _clock = clock;
        _runAgent = runAgent;
        _totalSteps = totalSteps;
        _seq = lastSeq;
        _inFlight = new InFlightEvents(run.RunId);
        _json = new Utf8JsonWriter(_buffer);
        _lastEventAt = clock.GetTimestamp();
        _watchdog = clock.CreateTimer(_ => _ = OnWatchdogAsync(), null, SilenceLimit / 3, SilenceLimit / 3);
    }

    public RunIdentity Run { get; }

    /// <summary>The last seq written.</summary>
    public long Seq => Interlocked.Read(ref _seq);

    public bool IsTerminal => Volatile.Read(ref _terminal);

    /// <summary>Creates the emitter and writes <c>agent_started</c> with the planned pipeline.</summary>
    public static async Task<RunEmitter> StartAsync(
        RunIdentity run, IRunEventSink sink, TimeProvider clock, string runAgent, string message, IReadOnlyList<string> agents,
        CancellationToken cancellationToken, long lastSeq = 0)
    {
        var emitter = new RunEmitter(run, sink, clock, runAgent, agents.Count, lastSeq);
        try
        {
            await emitter.WriteAsync(RunEventTypes.AgentStarted, runAgent, w => RunEventFields.Started(w, message, agents), cancellationToken);
        }
        catch
        {
            await emitter.DisposeAsync();
            throw;
        }

        return emitter;
    }

    /// <summary>Continues a run whose events another process wrote (recovery after a crash): rebuilds from the
    /// stored events which tool calls and stages are open, so that ending the run closes them.</summary>
    public static RunEmitter Resume(RunIdentity run, IRunEventSink sink, TimeProvider clock, string runAgent, IReadOnlyList<StoredRunEvent> stored)
    {
        var emitter = new RunEmitter(run, sink, clock, runAgent, totalSteps: 0, lastSeq: stored.Count == 0 ? 0 : stored[^1].Seq);
        emitter._terminal = emitter._open.Replay(stored, runAgent, clock);
        return emitter;
    }

    /// <summary>Writes <c>subagent_started</c>; the returned stage must be completed (the terminal event otherwise
    /// completes it as <c>failed</c>).</summary>
    public async Task<StageScope> BeginStageAsync(string agent, string message, CancellationToken cancellationToken)
    {
        var stage = new OpenStage(agent, _clock.GetTimestamp());
        await WriteAsync(RunEventTypes.SubagentStarted, agent, w => w.WriteString("message", message), cancellationToken,
            onWritten: () => _open.Open(stage));
        return new StageScope(this, stage);
    }

    public Task ThinkingAsync(string agent, string reasoning, CancellationToken cancellationToken) =>
        WriteAsync(RunEventTypes.AgentThinking, agent, w => RunEventFields.Thinking(w, reasoning, _open.Step, _totalSteps), cancellationToken);

    public Task DeltaAsync(string agent, string delta, CancellationToken cancellationToken) =>
        WriteAsync(RunEventTypes.AgentResponseDelta, agent, w => w.WriteString("delta", delta), cancellationToken);

    /// <summary>Runs one tool call between <c>tool_executing</c> and <c>tool_completed</c>. The completion is
    /// written whatever happens: an exception becomes status <c>error</c> (and is rethrown).</summary>
    public async Task<ToolResult<T>> ToolAsync<T>(
        string agent, string toolName, object? parameters, Func<CancellationToken, Task<ToolResult<T>>> call, CancellationToken cancellationToken)
    {
        var tool = new OpenTool(agent, toolName, _open.NextCallId(), _clock.GetTimestamp());
        await WriteAsync(RunEventTypes.ToolExecuting, agent, w => RunEventFields.ToolExecuting(w, toolName, tool.CallId, parameters), cancellationToken,
            onWritten: () => _open.Open(tool));

        ToolResult<T> result;
        try
        {
            result = await call(cancellationToken);
        }
        catch (Exception ex)
        {
            await CompleteToolAsync(tool, false, ex is OperationCanceledException ? "cancelled" : ex.Message, null, CancellationToken.None);
            throw;
        }

        await CompleteToolAsync(tool, result.IsSuccess, result.Summary, result.Data, cancellationToken);
        return result;
    }

    /// <summary>Ends the run with <c>agent_completed</c>; false when it had already ended. <paramref name="storeReply"/>
    /// runs once the completion has won, before the event: a client reading the thread on it finds the reply.</summary>
    public Task<bool> CompleteAsync(string response, object result, RunUsage usage, Func<Task> storeReply, CancellationToken cancellationToken) =>
        EndAsync(RunEventTypes.AgentCompleted, w => RunEventFields.Completed(w, response, result, usage, ElapsedMs(Run.StartedAt)), cancellationToken, storeReply);

    public Task<bool> FailAsync(ErrorCode errorCode, string message, bool recoverable, CancellationToken cancellationToken) =>
        EndAsync(RunEventTypes.AgentFailed, w => RunEventFields.Failed(w, errorCode, message, recoverable), cancellationToken);

    public Task<bool> StopAsync(string reason, CancellationToken cancellationToken) =>
        EndAsync(RunEventTypes.AgentStopped, w => w.WriteString("reason", reason), cancellationToken);

    /// <summary>Waits until every event written so far is stored and published; throws if one could not be stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _inFlight.AwaitOldestAsync(_inFlight.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the silence watchdog and waits for the events still on their way to the log. The emitter stays
    /// usable: a late stop after the run ended just returns false. (The gate is not disposed: it never allocates a
    /// wait handle.)</summary>
    public async ValueTask DisposeAsync()
    {
        await _watchdog.DisposeAsync();
        try
        {
            await FlushAsync();
        }
        catch (Exception)
        {
            // A run whose events could not be stored was already told so by the write that failed, and its end is
            // left to recovery: there is nothing left to do with it here.
        }
    }

    internal Task CompleteStageAsync(OpenStage stage, string status, string summary, CancellationToken cancellationToken) =>
        WriteAsync(RunEventTypes.SubagentCompleted, stage.Agent, w => RunEventFields.StageCompleted(w, status, summary, ElapsedMs(stage.Started)), cancellationToken,
            onWritten: () => _open.Close(stage), when: () => _open.IsOpen(stage));

    private Task CompleteToolAsync(OpenTool tool, bool success, string summary, object? data, CancellationToken cancellationToken) =>
        WriteAsync(RunEventTypes.ToolCompleted, tool.Agent, w => RunEventFields.ToolCompleted(w, tool, success, summary, data, ElapsedMs(tool.Started)), cancellationToken,
            onWritten: () => _open.Close(tool), when: () => _open.IsOpen(tool));

    private async Task<bool> EndAsync(string type, Action<Utf8JsonWriter> fields, CancellationToken cancellationToken, Func<Task>? beforeTerminal = null)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_terminal)
            {
                return false;
            }

            // Close what is open so that every start has its completion before the terminal event.
            var reason = type == RunEventTypes.AgentStopped ? "cancelled: the run was stopped" : "interrupted: the run ended first";
            foreach (var tool in _open.ToolsOldestFirst())
            {
                await WriteLockedAsync(RunEventTypes.ToolCompleted, tool.Agent, w => RunEventFields.ToolCompleted(w, tool, false, reason, null, ElapsedMs(tool.Started)), cancellationToken);
                _open.Close(tool);
            }

            foreach (var stage in _open.StagesInnermostFirst())
            {
                await WriteLockedAsync(RunEventTypes.SubagentCompleted, stage.Agent, w => RunEventFields.StageCompleted(w, "failed", reason, ElapsedMs(stage.Started)), cancellationToken);
                _open.Close(stage);
            }

            await (beforeTerminal?.Invoke() ?? Task.CompletedTask);
            await WriteLockedAsync(type, _runAgent, fields, cancellationToken);
            _terminal = true;

            // The caller records the run's final status next: the terminal event is in the log first.
            await _inFlight.AwaitOldestAsync(_inFlight.Count);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteAsync(
        string type, string agent, Action<Utf8JsonWriter> fields, CancellationToken cancellationToken,
        Action? onWritten = null, Func<bool>? when = null)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // A completion whose scope the terminal event already closed has nothing left to say.
            if (when is not null && !when())
            {
                return;
            }

            if (_terminal)
            {
                throw new RunEndedException(Run.RunId);
            }

            await WriteLockedAsync(type, agent, fields, cancellationToken);
            onWritten?.Invoke();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes the envelope and <paramref name="fields"/> into the buffer, hands a copy to the sink, and
    /// waits only when more than <see cref="MaxInFlight"/> events are on their way to the log.</summary>
    private async Task WriteLockedAsync(string type, string agent, Action<Utf8JsonWriter> fields, CancellationToken cancellationToken)
    {
        _inFlight.ThrowIfFaulted();
        var seq = _seq + 1;
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        RunEventFields.Envelope(_json, type, _clock.GetUtcNow(), Run, seq, agent);
        fields(_json);
        _json.WriteEndObject();
        _json.Flush();
        _inFlight.Add(_sink.WriteAsync(new RunEvent(Run.RunId, Run.ThreadId, Run.UserId, seq, type, _buffer.WrittenSpan.ToArray()), cancellationToken));
        Interlocked.Exchange(ref _seq, seq);
        Interlocked.Exchange(ref _lastEventAt, _clock.GetTimestamp());
        await _inFlight.AwaitOldestAsync(_inFlight.Count - MaxInFlight);
    }

    private async Task OnWatchdogAsync()
    {
        try
        {
            // When the gate is taken a write is under way, and that write is itself progress.
            if (!IsSilent() || !await _gate.WaitAsync(0))
            {
                return;
            }

            try
            {
                if (IsSilent())
                {
                    var stage = _open.InnermostAgent ?? _runAgent;
                    await WriteLockedAsync(RunEventTypes.AgentThinking, stage, w => RunEventFields.Thinking(w, $"Still working on the {stage} step…", _open.Step, _totalSteps), CancellationToken.None);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception)
        {
            // A progress event that cannot be stored is dropped; the run's own writes report the fault.
        }
    }

    /// <summary>Progress is due only between <c>agent_started</c> (seq 1) and the terminal event, after
    /// <see cref="SilenceLimit"/> without an event.</summary>
    private bool IsSilent() => !_terminal && Seq > 0 && _clock.GetElapsedTime(Interlocked.Read(ref _lastEventAt)) >= SilenceLimit;

    private long ElapsedMs(long startedTimestamp) => (long)_clock.GetElapsedTime(startedTimestamp).TotalMilliseconds;
}
