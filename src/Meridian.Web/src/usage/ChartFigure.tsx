import type { ReactNode } from 'react';
import { ChartCanvas } from './ChartCanvas';
import type { ChartSpec, TableSpec } from './chartSpec';
import { DataTableOf } from './DataTableOf';
import './chart.css';

interface Props {
  testId: string;
  caption: string;
  spec: ChartSpec;
  table: TableSpec;
  /** A sentence under the caption (what the figures rest on). */
  note?: ReactNode;
}

/** A chart as a figure: caption, canvas, and an accessible table of the same figures (docs/ui.md#9-the-usage-page). */
export function ChartFigure({ testId, caption, spec, table, note }: Props) {
  return (
    <figure data-testid={testId} className="chart-figure">
      <figcaption>{caption}</figcaption>
      {note && <p className="hint">{note}</p>}
      <ChartCanvas spec={spec} label={`${caption} (chart; the table below has the same figures)`} />
      <DataTableOf table={table} caption={caption} />
    </figure>
  );
}
