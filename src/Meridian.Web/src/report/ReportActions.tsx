import type { RunState } from '../runs/runState';

export interface ReportActionsProps {
  /** The run's final report, as Markdown. */
  report: string;
  /** The run as the app knows it (result, usage, stages, tool calls). */
  run: RunState;
}

/** Actions under a completed run's report (copy, download, the before/after cost chart). A placeholder until
 * its content lands. */
export function ReportActions({ run }: ReportActionsProps) {
  return <div className="report-actions" data-run-id={run.runId} />;
}
