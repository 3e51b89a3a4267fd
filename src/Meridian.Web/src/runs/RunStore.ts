import type { RunEvent, RunStatus, RunSummary } from '../api/types';
import { applyEvents, applySummary } from './runReducer';
import { createRun, isActive, type RunState } from './runState';

type Listener = () => void;
export type StatusListener = (run: RunState, previous: RunStatus) => void;

/** Work per animation frame: events beyond this budget wait for the next frame, so a long replay never makes
 * one long main-thread task. */
const FRAME_BUDGET_MS = 8;

/**
 * Every run the app knows, by id. Incoming events are queued and applied once per animation frame (a burst of
 * deltas becomes one render); each run's listeners hear only about their run, each thread's only about runs
 * appearing in it.
 */
export class RunStore {
  private readonly runs = new Map<string, RunState>();
  private readonly queue: { event: RunEvent; live: boolean }[] = [];
  private scheduled = false;
  private readonly runListeners = new Map<string, Set<Listener>>();
  private readonly threadListeners = new Map<string, Set<Listener>>();
  private readonly anyListeners = new Set<Listener>();
  private readonly statusListeners = new Set<StatusListener>();
  private threadRunIds = new Map<string, string[]>();

  constructor(
    private readonly schedule: (callback: () => void) => void = (cb) =>
      typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : setTimeout(cb, 16),
    private readonly now: () => number = () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
  ) {}

  get(runId: string): RunState | undefined {
    return this.runs.get(runId);
  }

  all(): RunState[] {
    return [...this.runs.values()];
  }

  unfinished(): RunState[] {
    return this.all().filter(isActive);
  }

  /** Run ids of a thread, in the order the app learnt of them. */
  runsOfThread(threadId: string): readonly string[] {
    return this.threadRunIds.get(threadId) ?? EMPTY;
  }

  /** Makes a run known (from run_accepted, a REST list or the first event of a run started elsewhere). */
  ensure(runId: string, threadId: string, status: RunStatus = 'queued'): RunState {
    const known = this.runs.get(runId);
    if (known) return known;
    const run = createRun(runId, threadId, status);
    this.runs.set(runId, run);
    this.threadRunIds.set(threadId, [...this.runsOfThread(threadId), runId]);
    this.notifyThread(threadId);
    this.notifyAny();
    return run;
  }

  summary(summary: RunSummary): void {
    const run = this.ensure(summary.run_id, summary.thread_id, summary.status);
    this.replace(run, applySummary(run, summary), false);
  }

  /** Events from the socket (`live`: status changes are announced) or from REST history (not announced).
   * Applied on the next animation frame. */
  push(events: readonly RunEvent[], live: boolean): void {
    for (const event of events) this.ensure(event.run_id, event.thread_id, 'queued');
    for (const event of events) this.queue.push({ event, live });
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Applies queued events within the frame budget; the rest go on the next frame. */
  flush(): void {
    this.scheduled = false;
    const started = this.now();
    // Applied in slices of 200 events per run batch until the frame's budget is spent.
    while (this.queue.length > 0 && this.now() - started <= FRAME_BUDGET_MS) {
      const slice = this.queue.splice(0, 200);
      const byRun = new Map<string, { events: RunEvent[]; live: boolean }>();
      for (const { event, live } of slice) {
        let batch = byRun.get(event.run_id);
        if (!batch) byRun.set(event.run_id, (batch = { events: [], live: false }));
        batch.events.push(event);
        batch.live ||= live;
      }
      for (const [runId, batch] of byRun) {
        const run = this.runs.get(runId);
        if (run) this.replace(run, applyEvents(run, batch.events), batch.live);
      }
    }
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  subscribeRun(runId: string, listener: Listener): () => void {
    return subscribe(this.runListeners, runId, listener);
  }

  subscribeThread(threadId: string, listener: Listener): () => void {
    return subscribe(this.threadListeners, threadId, listener);
  }

  subscribeAll(listener: Listener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  clear(): void {
    this.runs.clear();
    this.queue.length = 0;
    this.threadRunIds = new Map();
    this.notifyAny();
  }

  private replace(previous: RunState, next: RunState, live: boolean): void {
    if (previous === next) return;
    this.runs.set(next.runId, next);
    for (const listener of this.runListeners.get(next.runId) ?? []) listener();
    if (previous.status !== next.status) {
      if (live) for (const listener of this.statusListeners) listener(next, previous.status);
      this.notifyAny();
    }
  }

  private notifyThread(threadId: string): void {
    for (const listener of this.threadListeners.get(threadId) ?? []) listener();
  }

  private notifyAny(): void {
    for (const listener of this.anyListeners) listener();
  }
}

const EMPTY: readonly string[] = [];

function subscribe(map: Map<string, Set<Listener>>, key: string, listener: Listener): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) map.delete(key);
  };
}
