import { memo } from 'react';
import { DataTable } from './DataTable';
import { formatDuration, formatValue } from './format';
import type { ToolCall } from './runState';

/** One tool call, collapsed to its name, status and duration; open it for parameters, result and data. */
export const ToolCard = memo(function ToolCard({ call }: { call: ToolCall }) {
  const params = call.parameters && typeof call.parameters === 'object' ? Object.entries(call.parameters as Record<string, unknown>) : [];
  return (
    <details data-testid="tool-card" data-tool={call.tool} data-status={call.status} className={`tool-card tool-${call.status}`}>
      <summary>
        <span className="tool-name">{call.tool}</span>
        <span className="tool-status">{call.status === 'running' ? 'running…' : call.status}</span>
        <span className="tool-duration">{formatDuration(call.durationMs)}</span>
      </summary>
      <div className="tool-body">
        <p className="tool-label">Parameters</p>
        {params.length > 0 ? (
          <dl className="params">
            {params.map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{formatValue(value)}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">none</p>
        )}
        {call.result !== null && (
          <>
            <p className="tool-label">Result</p>
            <p className="tool-result">{call.result}</p>
          </>
        )}
        {call.data !== null && call.data !== undefined && <DataTable data={call.data} caption={`${call.tool} data`} />}
      </div>
    </details>
  );
});
