using Meridian.Server.Errors;
using System.Buffers;
using System.Text.Json;
using Meridian.Server.Http;

namespace Meridian.Server.Runs;

/// <summary>The one writer of a run's events. It makes the guarantees of docs/runs.md#2-events hold by construction:
/// <c>agent_started</c> is written when the emitter is created; <c>seq</c> is assigned here, one at a time, and
/// an event is stored before it is published (the sink stores events in the order they are written, so up to
/// <see cref="MaxInFlight"/> of them may be on their way to the log while the run goes on; the terminal event is
/// stored before the emitter says the run ended); the first terminal event closes every open tool call and stage
/// (so every <c>tool_executing</c> and <c>subagent_started</c> has its completion) and nothing is accepted after
/// it; and a run silent for longer than <see cref="SilenceLimit"/> gets an <c>agent_thinking</c> progress event.</summary>
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
    private readonly List<OpenStage> _stages = [];
    private readonly Dictionary<string, OpenTool> _tools = new(StringComparer.Ordinal);
    private readonly ITimer _watchdog;

    /// <summary>What the sink returned for events not yet known to be stored, oldest first (used under the gate).</summary>
    private readonly Queue<Task> _inFlight = new();

    /// <summary>Each event is written here (under the gate), then copied out at its exact size.</summary>
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;

    /// <summary>Set when an event could not be stored: the run then has a gap, so nothing more is written.</summary>
    private Exception? _logFault;
    private long _seq;
    private long _lastEventAt;
    private bool _terminal;
    private int _step;
    private int _calls;

    private RunEmitter(RunIdentity run, IRunEventSink sink, TimeProvider clock, string runAgent, int totalSteps, long lastSeq)
    {
        Run = run;
        _sink = sink;
        _clock = clock;
        _runAgent = runAgent;
        _totalSteps = totalSteps;
        _seq = lastSeq;
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
            await emitter.WriteAsync(RunEventTypes.AgentStarted, runAgent, w =>
            {
                w.WriteString("message", message);
                w.WriteStartArray("agents");
                foreach (var agent in agents)
                {
                    w.WriteStringValue(agent);
                }

                w.WriteEndArray();
            }, cancellationToken);
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
        foreach (var row in stored)
        {
            using var document = JsonDocument.Parse(row.Payload);
            var e = document.RootElement;
            var agent = e.TryGetProperty("agent_name", out var a) ? a.GetString() ?? runAgent : runAgent;
            switch (row.Type)
            {
                case RunEventTypes.ToolExecuting:
                    var callId = e.GetProperty("call_id").GetString()!;
                    emitter._tools[callId] = new OpenTool(agent, e.GetProperty("tool_name").GetString()!, callId, clock.GetTimestamp());
                    emitter._calls++;
                    break;
                case RunEventTypes.ToolCompleted:
                    emitter._tools.Remove(e.GetProperty("call_id").GetString()!);
                    break;
                case RunEventTypes.SubagentStarted:
                    emitter._stages.Add(new OpenStage(agent, clock.GetTimestamp()));
                    emitter._step++;
                    break;
                case RunEventTypes.SubagentCompleted:
                    emitter._stages.RemoveAt(emitter._stages.FindLastIndex(s => s.Agent == agent));
                    break;
                case var type when RunEventTypes.IsTerminal(type):
                    emitter._terminal = true;
                    break;
            }
        }

        return emitter;
    }

    /// <summary>Writes <c>subagent_started</c>; the returned stage must be completed (the terminal event otherwise
    /// completes it as <c>failed</c>).</summary>
    public async Task<StageScope> BeginStageAsync(string agent, string message, CancellationToken cancellationToken)
    {
        var stage = new OpenStage(agent, _clock.GetTimestamp());
        await WriteAsync(RunEventTypes.SubagentStarted, agent, w => w.WriteString("message", message), cancellationToken,
            onWritten: () =>
            {
                _stages.Add(stage);
                _step++;
            });
        return new StageScope(this, stage);
    }

    public Task ThinkingAsync(string agent, string reasoning, CancellationToken cancellationToken) =>
        WriteAsync(RunEventTypes.AgentThinking, agent, w => WriteThinking(w, reasoning), cancellationToken);

    public Task DeltaAsync(string agent, string delta, CancellationToken cancellationToken) =>
        WriteAsync(RunEventTypes.AgentResponseDelta, agent, w => w.WriteString("delta", delta), cancellationToken);

    /// <summary>Runs one tool call between <c>tool_executing</c> and <c>tool_completed</c>. The completion is
    /// written whatever happens: an exception becomes status <c>error</c> (and is rethrown).</summary>
    public async Task<ToolOutcome> ToolAsync(
        string agent, string toolName, object? parameters, Func<CancellationToken, Task<ToolOutcome>> call, CancellationToken cancellationToken)
    {
        var callId = $"call_{Interlocked.Increment(ref _calls)}";
        var tool = new OpenTool(agent, toolName, callId, _clock.GetTimestamp());
        await WriteAsync(RunEventTypes.ToolExecuting, agent, w =>
        {
            w.WriteString("tool_name", toolName);
            w.WriteString("call_id", callId);
            w.WritePropertyName("parameters");
            JsonSerializer.Serialize(w, parameters ?? new { }, Json.Options);
        }, cancellationToken, onWritten: () => _tools[callId] = tool);

        ToolOutcome outcome;
        try
        {
            outcome = await call(cancellationToken);
        }
        catch (Exception ex)
        {
            await CompleteToolAsync(tool, ToolOutcome.Error(ex is OperationCanceledException ? "cancelled" : ex.Message), CancellationToken.None);
            throw;
        }

        await CompleteToolAsync(tool, outcome, cancellationToken);
        return outcome;
    }

    /// <summary>Ends the run with <c>agent_completed</c>. Returns false when the run had already ended.</summary>
    public Task<bool> CompleteAsync(string response, object result, RunUsage usage, CancellationToken cancellationToken) =>
        EndAsync(RunEventTypes.AgentCompleted, w =>
        {
            w.WriteString("response", response);
            w.WritePropertyName("result");
            JsonSerializer.Serialize(w, result, Json.Options);
            w.WritePropertyName("usage");
            JsonSerializer.Serialize(w, usage, Json.Options);
            w.WriteNumber("duration_ms", ElapsedMs(Run.StartedAt));
        }, cancellationToken);

    public Task<bool> FailAsync(ErrorCode errorCode, string message, bool recoverable, CancellationToken cancellationToken) =>
        EndAsync(RunEventTypes.AgentFailed, w =>
        {
            w.WriteString("error_code", errorCode.Code);
            w.WriteString("message", message);
            w.WriteBoolean("recoverable", recoverable);
        }, cancellationToken);

    public Task<bool> StopAsync(string reason, CancellationToken cancellationToken) =>
        EndAsync(RunEventTypes.AgentStopped, w => w.WriteString("reason", reason), cancellationToken);

    /// <summary>Waits until every event written so far is stored and published; throws if one could not be stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await AwaitStoredLockedAsync(_inFlight.Count);
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

    internal async Task CompleteStageAsync(OpenStage stage, string status, string summary, CancellationToken cancellationToken)
    {
        await WriteAsync(RunEventTypes.SubagentCompleted, stage.Agent, w => WriteStageCompletion(w, stage, status, summary), cancellationToken,
            onWritten: () => _stages.Remove(stage), when: () => _stages.Contains(stage));
    }

    private Task CompleteToolAsync(OpenTool tool, ToolOutcome outcome, CancellationToken cancellationToken) =>
        WriteAsync(RunEventTypes.ToolCompleted, tool.Agent, w => WriteToolCompletion(w, tool, outcome), cancellationToken,
            onWritten: () => _tools.Remove(tool.CallId), when: () => _tools.ContainsKey(tool.CallId));

    private async Task<bool> EndAsync(string type, Action<Utf8JsonWriter> fields, CancellationToken cancellationToken)
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
            foreach (var tool in _tools.Values.OrderBy(t => t.Started).ToList())
            {
                await WriteLockedAsync(RunEventTypes.ToolCompleted, tool.Agent, w => WriteToolCompletion(w, tool, ToolOutcome.Error(reason)), cancellationToken);
                _tools.Remove(tool.CallId);
            }

            foreach (var stage in Enumerable.Reverse(_stages).ToList())
            {
                await WriteLockedAsync(RunEventTypes.SubagentCompleted, stage.Agent, w => WriteStageCompletion(w, stage, "failed", reason), cancellationToken);
                _stages.Remove(stage);
            }

            await WriteLockedAsync(type, _runAgent, fields, cancellationToken);
            _terminal = true;

            // The caller records the run's final status next: the terminal event is in the log first.
            await AwaitStoredLockedAsync(_inFlight.Count);
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

    private async Task WriteLockedAsync(string type, string agent, Action<Utf8JsonWriter> fields, CancellationToken cancellationToken)
    {
        if (_logFault is not null)
        {
            throw new InvalidOperationException($"Run {Run.RunId} can no longer be written: an earlier event could not be stored.", _logFault);
        }

        var seq = _seq + 1;
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        var w = _json;
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("timestamp", UtcTimestampConverter.ToText(_clock.GetUtcNow()));
        w.WriteString("run_id", Run.RunId);
        w.WriteString("thread_id", Run.ThreadId);
        w.WriteNumber("seq", seq);
        w.WriteString("agent_name", agent);
        fields(w);
        w.WriteEndObject();
        w.Flush();

        _inFlight.Enqueue(_sink.WriteAsync(new RunEvent(Run.RunId, Run.ThreadId, Run.UserId, seq, type, _buffer.WrittenSpan.ToArray()), cancellationToken));
        Interlocked.Exchange(ref _seq, seq);
        Interlocked.Exchange(ref _lastEventAt, _clock.GetTimestamp());
        await AwaitStoredLockedAsync(_inFlight.Count - MaxInFlight);
    }

    /// <summary>Waits for the oldest <paramref name="count"/> events in flight to be stored, and drops those already
    /// stored; rethrows (now and on every later write) the failure of any of them.</summary>
    private async Task AwaitStoredLockedAsync(int count)
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                await _inFlight.Dequeue();
            }

            while (_inFlight.TryPeek(out var oldest) && oldest.IsCompleted)
            {
                await _inFlight.Dequeue();
            }
        }
        catch (Exception ex)
        {
            _logFault ??= ex;
            throw;
        }
    }

    private async Task OnWatchdogAsync()
    {
        // Progress only between agent_started (seq 1 written) and the terminal event.
        if (_terminal || Seq == 0 || _clock.GetElapsedTime(Interlocked.Read(ref _lastEventAt)) < SilenceLimit)
        {
            return;
        }

        try
        {
            // When the gate is taken a write is under way, and that write is itself progress.
            if (await _gate.WaitAsync(0))
            {
                await WatchdogWriteAsync();
            }
        }
        catch (Exception)
        {
            // A progress event that cannot be stored is dropped; the run's own writes report the fault.
        }
    }

    private async Task WatchdogWriteAsync()
    {
        try
        {
            if (_terminal || _clock.GetElapsedTime(Interlocked.Read(ref _lastEventAt)) < SilenceLimit)
            {
                return;
            }

            var stage = _stages.Count > 0 ? _stages[^1].Agent : _runAgent;
            await WriteLockedAsync(RunEventTypes.AgentThinking, stage, w => WriteThinking(w, $"Still working on the {stage} step…"), CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void WriteThinking(Utf8JsonWriter w, string reasoning)
    {
        w.WriteString("reasoning", reasoning);
        w.WriteNumber("step", Math.Max(_step, 1));
        w.WriteNumber("total_steps", Math.Max(_totalSteps, 1));
    }

    private void WriteToolCompletion(Utf8JsonWriter w, OpenTool tool, ToolOutcome outcome)
    {
        w.WriteString("tool_name", tool.Name);
        w.WriteString("call_id", tool.CallId);
        w.WriteString("status", outcome.IsSuccess ? "success" : "error");
        w.WriteString("result", outcome.Summary);
        if (outcome.Data is not null)
        {
            w.WritePropertyName("data");
            JsonSerializer.Serialize(w, outcome.Data, Json.Options);
        }

        w.WriteNumber("duration_ms", ElapsedMs(tool.Started));
    }

    private void WriteStageCompletion(Utf8JsonWriter w, OpenStage stage, string status, string summary)
    {
        w.WriteString("status", status);
        w.WriteString("summary", summary);
        w.WriteNumber("duration_ms", ElapsedMs(stage.Started));
    }

    private long ElapsedMs(long startedTimestamp) => (long)_clock.GetElapsedTime(startedTimestamp).TotalMilliseconds;

    internal sealed record OpenStage(string Agent, long Started);

    private sealed record OpenTool(string Agent, string Name, string CallId, long Started);
}

/// <summary>Who a run belongs to; <see cref="StartedAt"/> is a <see cref="TimeProvider"/> timestamp.</summary>
public sealed record RunIdentity(string RunId, string ThreadId, string UserId, long StartedAt);

/// <summary>A stage between <c>subagent_started</c> and <c>subagent_completed</c>.</summary>
public sealed class StageScope
{
    private readonly RunEmitter _emitter;
    private readonly RunEmitter.OpenStage _stage;

    internal StageScope(RunEmitter emitter, RunEmitter.OpenStage stage)
    {
        _emitter = emitter;
        _stage = stage;
    }

    public string Agent => _stage.Agent;

    /// <summary>Writes <c>subagent_completed</c> with status <c>completed</c>, <c>failed</c> or <c>skipped</c>.</summary>
    public Task CompleteAsync(string status, string summary, CancellationToken cancellationToken) =>
        _emitter.CompleteStageAsync(_stage, status, summary, cancellationToken);
}

/// <summary>What a tool call produced: a sentence a person can read, and the numbers.</summary>
public sealed record ToolOutcome(bool IsSuccess, string Summary, object? Data)
{
    public static ToolOutcome Success(string summary, object? data = null) => new(true, summary, data);

    public static ToolOutcome Error(string summary) => new(false, summary, null);
}

/// <summary>Token usage and cost of a run's language-model calls.</summary>
public sealed record RunUsage(int LlmCalls, long InputTokens, long OutputTokens, decimal CostUsd)
{
    public static readonly RunUsage None = new(0, 0, 0, 0m);
}

/// <summary>Thrown to a pipeline that writes after its run has ended (stopped, failed or timed out).</summary>
public sealed class RunEndedException(string runId) : InvalidOperationException($"Run {runId} has already ended.");
