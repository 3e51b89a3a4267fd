import type { RunEvent, RunStatus, RunUsage } from '../api/types';

// The state of one run as the app shows it, built from its events (docs/runs.md#2-events) by runReducer.ts.

export const STAGES = ['triage', 'data', 'optimization', 'actions', 'reporting'] as const;
export type StageName = (typeof STAGES)[number];
export type StageStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

export interface StageState {
  name: StageName;
  /** The agent that ran it (`data_helper` runs in place of `data`). */
  agent: string;
  status: StageStatus;
  durationMs: number | null;
  summary: string | null;
}

export interface ToolCall {
  callId: string;
  tool: string;
  agent: string;
  status: 'running' | 'completed' | 'failed';
  parameters: unknown;
  result: string | null;
  data: unknown;
  durationMs: number | null;
}

export type ActivityItem =
  | { kind: 'thinking'; seq: number; agent: string; text: string }
  | { kind: 'tool'; seq: number; callId: string };

export interface RunError {
  code: string;
  message: string;
  recoverable: boolean;
}

export interface RunState {
  runId: string;
  threadId: string;
  status: RunStatus;
  /** Every event up to this seq has been applied, none after it (dedupe and order by seq). */
  appliedSeq: number;
  /** Events that arrived ahead of a gap, by seq, applied once the gap is filled. */
  pending: ReadonlyMap<number, RunEvent>;
  request: string | null;
  stages: StageState[];
  activity: ActivityItem[];
  tools: Readonly<Record<string, ToolCall>>;
  /** The answer: streamed deltas, then the final response. */
  report: string;
  reportFinal: boolean;
  usage: RunUsage | null;
  durationMs: number | null;
  error: RunError | null;
  stopReason: string | null;
  result: unknown;
}

export const TERMINAL: ReadonlySet<RunStatus> = new Set<RunStatus>(['completed', 'failed', 'stopped']);

export function isActive(run: Pick<RunState, 'status'>): boolean {
  return !TERMINAL.has(run.status);
}

export function createRun(runId: string, threadId: string, status: RunStatus = 'queued'): RunState {
  return {
    runId,
    threadId,
    status,
    appliedSeq: 0,
    pending: new Map(),
    request: null,
    stages: STAGES.map((name) => ({ name, agent: name, status: 'pending', durationMs: null, summary: null })),
    activity: [],
    tools: {},
    report: '',
    reportFinal: false,
    usage: null,
    durationMs: null,
    error: null,
    stopReason: null,
    result: null,
  };
}
