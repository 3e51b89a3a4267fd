import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../api/types';
import { RunStore } from './RunStore';

function ev(runId: string, seq: number, type: string, fields: Record<string, unknown> = {}): RunEvent {
  return { type, seq, run_id: runId, thread_id: 'thread_1', timestamp: '', ...fields };
}

function manualFrames() {
  const frames: (() => void)[] = [];
  return { schedule: (cb: () => void) => frames.push(cb), frames };
}

describe('RunStore', () => {
  it('applies a burst of events in one frame and notifies the run once', () => {
    const { schedule, frames } = manualFrames();
    const store = new RunStore(schedule);
    let notified = 0;
    store.ensure('run_1', 'thread_1');
    store.subscribeRun('run_1', () => notified++);

    store.push([ev('run_1', 1, 'agent_started')], true);
    store.push([ev('run_1', 2, 'agent_response_delta', { delta: 'a' }), ev('run_1', 3, 'agent_response_delta', { delta: 'b' })], true);

    expect(frames).toHaveLength(1);
    expect(store.get('run_1')?.report).toBe('');
    frames.shift()!();
    expect(store.get('run_1')?.report).toBe('ab');
    expect(notified).toBe(1);
  });

  it('spreads a long replay over frames within the frame budget', () => {
    const { schedule, frames } = manualFrames();
    let clock = 0;
    // Each reading of the clock advances it 1 ms: the budget is spent after a few slices.
    const store = new RunStore(schedule, () => clock++);
    const events = [ev('run_1', 1, 'agent_started'), ...Array.from({ length: 1999 }, (_, i) => ev('run_1', i + 2, 'agent_response_delta', { delta: 'x' }))];

    store.push(events, false);
    let flushes = 0;
    while (frames.length > 0) {
      frames.shift()!();
      flushes++;
    }

    expect(flushes).toBeGreaterThan(1);
    expect(store.get('run_1')?.appliedSeq).toBe(2000);
    expect(store.get('run_1')?.report).toHaveLength(1999);
  });

  it('announces status changes of live events only, and lists runs per thread', () => {
    const { schedule, frames } = manualFrames();
    const store = new RunStore(schedule);
    const heard: string[] = [];
    store.onStatus((run) => heard.push(`${run.runId}:${run.status}`));

    store.push([ev('old', 1, 'agent_started'), ev('old', 2, 'agent_completed', { response: 'r' })], false);
    store.push([ev('new', 1, 'agent_started'), ev('new', 2, 'agent_failed', { error_code: 'RUN_TIMEOUT', message: 'm' })], true);
    frames.shift()!();

    expect(heard).toEqual(['new:failed']);
    expect(store.runsOfThread('thread_1')).toEqual(['old', 'new']);
  });
});
