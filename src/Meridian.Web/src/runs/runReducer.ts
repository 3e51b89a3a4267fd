import type { RunEvent, RunSummary, RunUsage } from '../api/types';
import { STAGES, TERMINAL, type RunState, type StageName, type StageState, type ToolCall } from './runState';

/**
 * Applies events to a run's state and returns the new state (the old one is left untouched, so views that
 * hold it re-render only when something changed). Events are applied strictly in `seq` order, each exactly
 * once: one at or below `appliedSeq` is a duplicate (a resume overlapping what REST or the socket already gave)
 * and is dropped; one past a gap waits in `pending` until the gap is filled.
 */
export function applyEvents(state: RunState, events: readonly RunEvent[]): RunState {
  let draft: Draft | null = null;
  for (const event of events) {
    if (typeof event.seq !== 'number' || event.seq <= (draft ?? state).appliedSeq) continue;
    draft ??= startDraft(state);
    if (event.seq === draft.appliedSeq + 1) {
      apply(draft, event);
      let next: RunEvent | undefined;
      while ((next = draft.pending.get(draft.appliedSeq + 1)) !== undefined) {
        draft.pending.delete(next.seq);
        apply(draft, next);
      }
    } else if (!draft.pending.has(event.seq)) {
      draft.pending.set(event.seq, event);
    }
  }
  return draft ?? state;
}

/** Seeds a run from its REST summary (status, usage, error) without touching what events already told. */
export function applySummary(state: RunState, summary: RunSummary): RunState {
  const terminalKnown = TERMINAL.has(state.status);
  return {
    ...state,
    status: terminalKnown ? state.status : summary.status,
    usage: state.usage ?? summary.usage,
    durationMs: state.durationMs ?? summary.duration_ms,
    error: state.error ?? (summary.error ? { code: summary.error.error_code, message: summary.error.message, recoverable: false } : null),
  };
}

/** A gap: events past it arrived, the ones before have not. */
export function hasGap(state: RunState): boolean {
  return state.pending.size > 0;
}

type Draft = RunState & { pending: Map<number, RunEvent>; tools: Record<string, ToolCall> };

function startDraft(state: RunState): Draft {
  return {
    ...state,
    pending: new Map(state.pending),
    stages: state.stages.slice(),
    activity: state.activity.slice(),
    tools: { ...state.tools },
  };
}

function apply(run: Draft, event: RunEvent): void {
  run.appliedSeq = event.seq;
  switch (event.type) {
    case 'agent_started':
      if (!TERMINAL.has(run.status)) run.status = 'running';
      run.request = text(event.message)?.replace(/^Working on: /, '') ?? run.request;
      planStages(run, event.agents);
      break;
    case 'subagent_started':
      updateStage(run, event.agent_name, { status: 'running' });
      break;
    case 'subagent_completed': {
      const status = event.status === 'failed' ? 'failed' : event.status === 'skipped' ? 'skipped' : 'completed';
      updateStage(run, event.agent_name, { status, durationMs: num(event.duration_ms), summary: text(event.summary) });
      break;
    }
    case 'agent_thinking':
      run.activity.push({ kind: 'thinking', seq: event.seq, agent: event.agent_name ?? '', text: text(event.reasoning) ?? '' });
      break;
    case 'tool_executing': {
      const callId = text(event.call_id) ?? `seq${event.seq}`;
      run.tools[callId] = {
        callId,
        tool: text(event.tool_name) ?? 'tool',
        agent: event.agent_name ?? '',
        status: 'running',
        parameters: event.parameters ?? null,
        result: null,
        data: null,
        durationMs: null,
      };
      run.activity.push({ kind: 'tool', seq: event.seq, callId });
      break;
    }
    case 'tool_completed': {
      const callId = text(event.call_id) ?? `seq${event.seq}`;
      const known = run.tools[callId];
      if (!known) run.activity.push({ kind: 'tool', seq: event.seq, callId });
      run.tools[callId] = {
        callId,
        tool: text(event.tool_name) ?? known?.tool ?? 'tool',
        agent: event.agent_name ?? known?.agent ?? '',
        status: event.status === 'error' ? 'failed' : 'completed',
        parameters: known?.parameters ?? event.parameters ?? null,
        result: text(event.result),
        data: event.data ?? null,
        durationMs: num(event.duration_ms),
      };
      break;
    }
    case 'agent_response_delta':
      if (!run.reportFinal) run.report += text(event.delta) ?? '';
      break;
    case 'agent_completed':
      run.status = 'completed';
      run.report = text(event.response) ?? run.report;
      run.reportFinal = true;
      run.usage = (event.usage as RunUsage | undefined) ?? run.usage;
      run.durationMs = num(event.duration_ms) ?? run.durationMs;
      run.result = event.result ?? null;
      settleStages(run);
      break;
    case 'agent_failed':
      run.status = 'failed';
      run.error = { code: text(event.error_code) ?? 'RUN_FAILED', message: text(event.message) ?? 'The run failed.', recoverable: event.recoverable === true };
      settleStages(run);
      break;
    case 'agent_stopped':
      run.status = 'stopped';
      run.stopReason = text(event.reason);
      settleStages(run);
      break;
    default:
      break;
  }
}

function planStages(run: Draft, agents: unknown): void {
  if (!Array.isArray(agents)) return;
  const planned = new Set(agents.map((a) => stageOf(String(a))).filter((s): s is StageName => s !== null));
  if (planned.size === 0) return;
  run.stages = run.stages.filter((s) => planned.has(s.name) || s.status !== 'pending');
  for (const name of STAGES) {
    if (planned.has(name) && !run.stages.some((s) => s.name === name)) {
      run.stages.push({ name, agent: name, status: 'pending', durationMs: null, summary: null });
    }
  }
  run.stages.sort((a, b) => STAGES.indexOf(a.name) - STAGES.indexOf(b.name));
}

function updateStage(run: Draft, agent: string | undefined, change: Partial<StageState>): void {
  const name = stageOf(agent ?? '');
  if (!name) return;
  const index = run.stages.findIndex((s) => s.name === name);
  const base: StageState = index >= 0 ? run.stages[index] : { name, agent: agent ?? name, status: 'pending', durationMs: null, summary: null };
  const next = { ...base, ...change, agent: agent ?? base.agent };
  if (index >= 0) run.stages[index] = next;
  else {
    run.stages.push(next);
    run.stages.sort((a, b) => STAGES.indexOf(a.name) - STAGES.indexOf(b.name));
  }
}

/** At the end of a run, stages that never started were skipped (triage's plan left them out, or the run was
 * stopped); one still running when the run ended is closed by the server with a failed subagent_completed. */
function settleStages(run: Draft): void {
  run.stages = run.stages.map((s) => (s.status === 'pending' ? { ...s, status: 'skipped' } : s));
}

/** `data_helper` runs in the data stage's place (docs/agents.md). */
export function stageOf(agent: string): StageName | null {
  const name = agent.replace(/_agent$/, '');
  if (name === 'data_helper') return 'data';
  return (STAGES as readonly string[]).includes(name) ? (name as StageName) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
