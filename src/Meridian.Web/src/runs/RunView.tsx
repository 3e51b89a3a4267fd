import { memo } from 'react';
import { useRun } from '../app/ServicesContext';
import { Markdown } from '../markdown/Markdown';
import { ReportActions } from '../report/ReportActions';
import { ErrorAlert } from '../shell/ErrorAlert';
import { formatDuration, formatUsage, STATUS_LABELS } from './format';
import { isActive, type ActivityItem, type RunState } from './runState';
import { StageTimeline } from './StageTimeline';
import { ToolCard } from './ToolCard';

interface Props {
  runId: string;
  onRetry?: () => void;
}

/** One run: stages, the agents' thinking and tool calls as they happen, the answer streaming in as Markdown,
 * then the final report, its usage and cost, and errors in place. Re-renders only when its own run changes. */
export const RunView = memo(function RunView({ runId, onRetry }: Props) {
  const run = useRun(runId);
  if (!run) return null;
  const active = isActive(run);
  return (
    <article data-testid="run" data-run-id={run.runId} data-status={run.status} className={`run run-${run.status}`} aria-labelledby={`${run.runId}-title`}>
      <header className="run-header">
        <span id={`${run.runId}-title`} className="run-title">
          Analysis
        </span>
        <span className={`status-badge status-${run.status}`}>{STATUS_LABELS[run.status]}</span>
        {run.durationMs !== null && <span className="muted">{formatDuration(run.durationMs)}</span>}
      </header>
      <StageTimeline stages={run.stages} />
      <Activity run={run} />
      {(run.report || active) && <Markdown testId="report" className={`report${active ? ' streaming' : ''}`} text={run.report} />}
      {run.error && <ErrorAlert code={run.error.code} message={run.error.message} />}
      {run.status === 'stopped' && <p className="muted">Stopped{run.stopReason ? ` (${run.stopReason})` : ''}.</p>}
      {run.usage && (
        <p className="run-usage" data-testid="run-usage">
          {formatUsage(run.usage)}
        </p>
      )}
      {(run.status === 'failed' || run.status === 'stopped') && onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
      {run.status === 'completed' && <ReportActions report={run.report} run={run} />}
    </article>
  );
});

const Activity = memo(
  function Activity({ run }: { run: RunState }) {
    if (run.activity.length === 0) return null;
    return (
      <div className="activity">
        {run.activity.map((item) => (
          <ActivityRow key={item.kind === 'tool' ? item.callId : item.seq} item={item} run={run} />
        ))}
      </div>
    );
  },
  (a, b) => a.run.activity === b.run.activity && a.run.tools === b.run.tools,
);

function ActivityRow({ item, run }: { item: ActivityItem; run: RunState }) {
  if (item.kind === 'thinking') return <ThinkingLine agent={item.agent} text={item.text} />;
  const call = run.tools[item.callId];
  return call ? <ToolCard call={call} /> : null;
}

const ThinkingLine = memo(function ThinkingLine({ agent, text }: { agent: string; text: string }) {
  return (
    <p data-testid="thinking" className="thinking">
      <span className="agent">{agent}</span> {text}
    </p>
  );
});
