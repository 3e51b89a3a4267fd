import type { ApiClient } from '../api/ApiClient';
import { runEvents } from '../api/endpoints';
import type { RunEvent } from '../api/types';
import type { Connection } from '../socket/Connection';
import { isErrorFrame, RUN_EVENT_TYPES, type Frame } from '../socket/frames';
import { hasGap } from './runReducer';
import type { RunStore } from './RunStore';
import { isActive } from './runState';

/**
 * Keeps the run store in step with the server: run events from the socket go into the store (also runs
 * started in another tab: the server sends a user's events to all their sockets); after every welcome (first
 * connect, reconnect, page reload) each unfinished run is resumed from its last applied seq, and the runs
 * under way that this tab does not know yet (`get_agent_status`) are resumed from the start. The store
 * de-duplicates by seq, so overlaps between REST history, replays and live events show once (docs/protocol.md).
 */
export class RunSync {
  private readonly gapTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly connection: Connection,
    private readonly store: RunStore,
    private readonly api: ApiClient,
  ) {
    connection.onWelcome(() => this.resumeAll());
    connection.onFrame((frame) => this.receive(frame));
  }

  /** Follows a run this tab learnt of from REST: resumes it on the socket if it is still going. */
  follow(runId: string): void {
    const run = this.store.get(runId);
    if (run && isActive(run) && this.connection.state === 'online') {
      this.connection.send({ type: 'resume', run_id: runId, after_seq: run.appliedSeq });
    }
  }

  private resumeAll(): void {
    for (const run of this.store.unfinished()) {
      this.connection.send({ type: 'resume', run_id: run.runId, after_seq: run.appliedSeq });
    }
    this.connection.send({ type: 'get_agent_status' });
  }

  private receive(frame: Frame): void {
    if (RUN_EVENT_TYPES.has(frame.type) && typeof frame.run_id === 'string') {
      const event = frame as RunEvent;
      this.store.push([event], true);
      this.watchGap(event.run_id);
      return;
    }
    switch (frame.type) {
      case 'run_accepted':
        if (typeof frame.run_id === 'string' && typeof frame.thread_id === 'string') this.store.ensure(frame.run_id, frame.thread_id);
        break;
      case 'agent_status':
        for (const active of (frame.active_runs ?? []) as { run_id: string; thread_id: string; status: 'queued' | 'running' }[]) {
          if (!this.store.get(active.run_id)) {
            this.store.ensure(active.run_id, active.thread_id, active.status);
            this.connection.send({ type: 'resume', run_id: active.run_id, after_seq: 0 });
          }
        }
        break;
      default:
        if (isErrorFrame(frame) && frame.error_code === 'RESUME_FAILED' && typeof frame.run_id === 'string') {
          const runId = frame.run_id;
          setTimeout(() => this.follow(runId), 1_000);
        }
        break;
    }
  }

  /** Events past a gap wait in the store; a gap that lasts is filled from REST (the socket never sends an
   * event twice, so it cannot fill it). */
  private watchGap(runId: string): void {
    if (this.gapTimers.has(runId)) return;
    this.gapTimers.set(
      runId,
      setTimeout(() => {
        this.gapTimers.delete(runId);
        const run = this.store.get(runId);
        if (!run || !hasGap(run)) return;
        runEvents(this.api, runId, run.appliedSeq)
          .then((answer) => this.store.push(answer.events, true))
          .catch(() => undefined);
      }, 1_500),
    );
  }
}
