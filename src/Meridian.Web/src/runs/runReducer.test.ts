import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../api/types';
import { applyEvents, applySummary, hasGap, stageOf } from './runReducer';
import { createRun, type RunState } from './runState';

const RUN = 'run_1';
const THREAD = 'thread_1';

function ev(seq: number, type: string, fields: Record<string, unknown> = {}): RunEvent {
  return { type, seq, run_id: RUN, thread_id: THREAD, timestamp: '2026-11-21T10:00:00.000Z', ...fields };
}

/** A whole run as the server writes it (docs/runs.md#2-events), seq 1..N. */
function fullRun(): RunEvent[] {
  const list: [string, Record<string, unknown>][] = [
    ['agent_started', { message: 'Working on: halve our bill', agents: ['triage', 'data', 'optimization', 'actions', 'reporting'] }],
    ['subagent_started', { agent_name: 'triage' }],
    ['agent_thinking', { agent_name: 'triage', reasoning: 'cost request' }],
    ['subagent_completed', { agent_name: 'triage', status: 'completed', duration_ms: 72 }],
    ['subagent_started', { agent_name: 'data_helper' }],
    ['tool_executing', { agent_name: 'data_helper', tool_name: 'usage_query', call_id: 'call_1', parameters: { last_days: 30 } }],
    ['tool_completed', { agent_name: 'data_helper', tool_name: 'usage_query', call_id: 'call_1', status: 'success', result: 'no records', data: { records: 0 }, duration_ms: 12 }],
    ['subagent_completed', { agent_name: 'data_helper', status: 'completed', duration_ms: 30 }],
    ['subagent_started', { agent_name: 'reporting' }],
    ['agent_response_delta', { agent_name: 'reporting', delta: '## Summary\n' }],
    ['agent_response_delta', { agent_name: 'reporting', delta: 'Save **half**.' }],
    ['subagent_completed', { agent_name: 'reporting', status: 'completed', duration_ms: 20 }],
    ['agent_completed', { response: '## Summary\nSave **half**.', usage: { llm_calls: 1, input_tokens: 10, output_tokens: 5, cost_usd: 0.01 }, duration_ms: 400 }],
  ];
  return list.map(([type, fields], i) => ev(i + 1, type, fields));
}

const fresh = (): RunState => createRun(RUN, THREAD);

describe('applyEvents', () => {
  it('builds the timeline of a whole run: stages, thinking, tool calls, report, usage', () => {
    const run = applyEvents(fresh(), fullRun());

    expect(run.status).toBe('completed');
    expect(run.appliedSeq).toBe(13);
    expect(run.request).toBe('halve our bill');
    expect(run.stages.map((s) => [s.name, s.status, s.durationMs])).toEqual([
      ['triage', 'completed', 72],
      ['data', 'completed', 30],
      ['optimization', 'skipped', null],
      ['actions', 'skipped', null],
      ['reporting', 'completed', 20],
    ]);
    expect(run.stages[1].agent).toBe('data_helper');
    expect(run.activity.map((a) => a.kind)).toEqual(['thinking', 'tool']);
    expect(run.tools.call_1).toMatchObject({ tool: 'usage_query', status: 'completed', parameters: { last_days: 30 }, data: { records: 0 }, durationMs: 12 });
    expect(run.report).toBe('## Summary\nSave **half**.');
    expect(run.reportFinal).toBe(true);
    expect(run.usage?.cost_usd).toBe(0.01);
  });

  it('streams the answer from deltas before the final response', () => {
    const run = applyEvents(fresh(), fullRun().slice(0, 11));

    expect(run.status).toBe('running');
    expect(run.report).toBe('## Summary\nSave **half**.');
    expect(run.reportFinal).toBe(false);
    expect(run.stages.find((s) => s.name === 'reporting')?.status).toBe('running');
  });

  it('applies every event exactly once when a resume replays what REST already gave', () => {
    const events = fullRun();
    const fromRest = applyEvents(fresh(), events.slice(0, 8));
    // The replay after `resume {after_seq: 6}` overlaps seq 7 and 8, and the live stream repeats 9.
    const replayed = applyEvents(applyEvents(fromRest, events.slice(6, 10)), events.slice(8));

    const once = applyEvents(fresh(), events);
    expect(replayed).toEqual(once);
    expect(replayed.activity).toHaveLength(2);
    expect(replayed.report).toBe(once.report);
  });

  it('holds events past a gap until the gap is filled, then applies them in order', () => {
    const events = fullRun();
    const early = applyEvents(fresh(), [...events.slice(0, 9), events[10], events[9 + 3]]);

    expect(early.appliedSeq).toBe(9);
    expect(hasGap(early)).toBe(true);
    expect(early.report).toBe('');

    const filled = applyEvents(early, events.slice(9));
    expect(hasGap(filled)).toBe(false);
    expect(filled).toEqual(applyEvents(fresh(), events));
  });

  it('orders a shuffled batch by seq and ignores duplicates inside it', () => {
    const events = fullRun();
    const shuffled = [events[3], events[0], events[2], events[2], events[1], ...events.slice(4).reverse(), events[5]];

    expect(applyEvents(fresh(), shuffled)).toEqual(applyEvents(fresh(), events));
  });

  it('returns the same state when nothing new arrives, so views do not re-render', () => {
    const run = applyEvents(fresh(), fullRun());

    expect(applyEvents(run, fullRun().slice(2, 5))).toBe(run);
  });

  it('leaves the previous state untouched', () => {
    const before = applyEvents(fresh(), fullRun().slice(0, 5));
    const snapshot = structuredClone({ ...before, pending: [...before.pending] });

    applyEvents(before, fullRun().slice(5));

    expect({ ...before, pending: [...before.pending] }).toEqual(snapshot);
  });

  it('records a failed run with its error code and a stopped run with its reason', () => {
    const failed = applyEvents(fresh(), [ev(1, 'agent_started', {}), ev(2, 'agent_failed', { error_code: 'RUN_TIMEOUT', message: 'Too long', recoverable: false })]);
    const stopped = applyEvents(fresh(), [ev(1, 'agent_started', {}), ev(2, 'agent_stopped', { reason: 'user' })]);

    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ code: 'RUN_TIMEOUT', message: 'Too long', recoverable: false });
    expect(stopped.status).toBe('stopped');
    expect(stopped.stopReason).toBe('user');
    expect(stopped.stages.every((s) => s.status === 'skipped')).toBe(true);
  });

  it('marks a failed tool call and a failed stage', () => {
    const run = applyEvents(fresh(), [
      ev(1, 'agent_started', {}),
      ev(2, 'subagent_started', { agent_name: 'optimization' }),
      ev(3, 'tool_executing', { agent_name: 'optimization', tool_name: 'price_lookup', call_id: 'c', parameters: {} }),
      ev(4, 'tool_completed', { agent_name: 'optimization', tool_name: 'price_lookup', call_id: 'c', status: 'error', result: 'timeout' }),
      ev(5, 'subagent_completed', { agent_name: 'optimization', status: 'failed', duration_ms: 30000 }),
    ]);

    expect(run.tools.c.status).toBe('failed');
    expect(run.stages.find((s) => s.name === 'optimization')?.status).toBe('failed');
  });

  it('keeps a terminal status when a REST summary says otherwise', () => {
    const run = applyEvents(fresh(), fullRun());
    const summary = { run_id: RUN, thread_id: THREAD, agent: 'supervisor', status: 'running' as const, created_at: '', started_at: null, ended_at: null, duration_ms: null, error: null, usage: null };

    expect(applySummary(run, summary).status).toBe('completed');
    expect(applySummary(fresh(), summary).status).toBe('running');
  });
});

describe('stageOf', () => {
  it('maps agents to stages, data_helper to data', () => {
    expect(stageOf('triage')).toBe('triage');
    expect(stageOf('data_helper')).toBe('data');
    expect(stageOf('optimization_agent')).toBe('optimization');
    expect(stageOf('supervisor')).toBeNull();
  });
});
