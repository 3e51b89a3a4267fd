import { useMemo } from 'react';
import { ChartFigure } from '../usage/ChartFigure';
import type { ChartSpec, TableSpec } from '../usage/chartSpec';
import { ms, pct, shortUsd, usd } from '../usage/formatFigures';
import type { SavingsFigures } from './savings';

const NOW = 'Now';
const AFTER = 'After';

/** Monthly cost now and after the recommended optimisations (from the optimization stage), as a chart and a table.
 * When the spend is not known the figures are shares of it. */
export function SavingsChart({ savings }: { savings: SavingsFigures }) {
  const { spec, table, note } = useMemo(() => describe(savings), [savings]);
  return <ChartFigure testId="savings-chart" caption="Monthly cost before and after the recommendations" spec={spec} table={table} note={note} />;
}

function describe(savings: SavingsFigures): { spec: ChartSpec; table: TableSpec; note: string } {
  const dollars = savings.monthlyCost > 0;
  const values = dollars ? [savings.monthlyCost, savings.monthlyCostAfter] : [1, 1 - savings.savingsShare];
  const format = dollars ? usd : pct;
  const measure = dollars ? 'Monthly cost' : 'Share of spend';
  const p95 = savings.p95Ms !== null && savings.p95AfterMs !== null ? [savings.p95Ms, savings.p95AfterMs] : null;
  return {
    spec: { labels: [NOW, AFTER], series: [{ label: measure, values }], horizontal: true, colorEachBar: true, format, axisFormat: dollars ? shortUsd : pct },
    table: {
      rowHeader: 'When',
      columns: p95 ? [measure, 'p95 latency'] : [measure],
      rows: [NOW, AFTER].map((label, i) => ({ label, cells: p95 ? [format(values[i]), ms(p95[i])] : [format(values[i])] })),
    },
    note: dollars
      ? `Saving ${usd(savings.monthlySavings)} a month (${pct(savings.savingsShare)}).`
      : `Saving ${pct(savings.savingsShare)} of the spend; state your monthly spend or import usage records to see dollars.`,
  };
}
