import { memo } from 'react';
import { formatDuration, STAGE_LABELS, STATUS_LABELS } from './format';
import type { StageState } from './runState';

/** The pipeline's stages in order, each with its status and duration. */
export const StageTimeline = memo(function StageTimeline({ stages }: { stages: readonly StageState[] }) {
  return (
    <ol aria-label="Stages" className="stages">
      {stages.map((stage) => (
        <li key={stage.name} data-testid="stage" data-stage={stage.name} data-status={stage.status} className={`stage stage-${stage.status}`}>
          <span className="stage-name">{STAGE_LABELS[stage.name]}</span>
          <span className="stage-status">{STATUS_LABELS[stage.status]}</span>
          <span className="stage-duration">{formatDuration(stage.durationMs)}</span>
        </li>
      ))}
    </ol>
  );
});
