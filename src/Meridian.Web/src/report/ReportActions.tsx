import { useRef, useState, useSyncExternalStore } from 'react';
import { useServices } from '../app/ServicesContext';
import type { RunState } from '../runs/runState';
import { copyText } from './copyText';
import { downloadText } from './downloadText';
import { reportFileName } from './reportFileName';
import { savingsOf } from './savings';
import { SavingsChart } from './SavingsChart';
import './report.css';

export interface ReportActionsProps {
  /** The run's final report, as Markdown. */
  report: string;
  /** The run as the app knows it (result, usage, stages, tool calls). */
  run: RunState;
}

/** Actions under a completed run's report: copy it, download it as Markdown, and the before/after cost chart of
 * the optimization stage's savings (docs/ui.md#10-report-actions). */
export function ReportActions({ report, run }: ReportActionsProps) {
  const { notices, threads } = useServices();
  const box = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<string | null>(null);
  const title = useSyncExternalStore(
    (l) => threads.subscribe(l),
    () => threads.list.find((t) => t.id === run.threadId)?.title ?? null,
  );
  const savings = savingsOf(run);

  function tell(text: string) {
    setStatus(text);
    notices.announce(text);
  }

  async function copy() {
    const reportElement = box.current?.closest('[data-testid="run"]')?.querySelector('[data-testid="report"]') ?? null;
    const copied = await copyText(report, reportElement);
    tell(copied ? 'Report copied to the clipboard.' : 'This browser does not allow copying here: the report is selected, press Ctrl+C (⌘C on a Mac) to copy it.');
  }

  function download() {
    const name = reportFileName(title, run.runId);
    downloadText(report, name, 'text/markdown;charset=utf-8');
    tell(`Report saved as ${name}.`);
  }

  return (
    <div ref={box} className="report-actions" data-run-id={run.runId}>
      <div className="report-buttons">
        <button type="button" className="secondary" onClick={() => void copy()} disabled={!report}>
          Copy report
        </button>
        <button type="button" className="secondary" onClick={download} disabled={!report}>
          Download Markdown
        </button>
        {status && <span className="report-action-status">{status}</span>}
      </div>
      {savings && <SavingsChart savings={savings} />}
    </div>
  );
}
