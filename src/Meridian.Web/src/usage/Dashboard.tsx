import { useMemo, type ReactNode } from 'react';
import { ChartFigure } from './ChartFigure';
import type { ChartSpec, TableSpec } from './chartSpec';
import { costByDay, latencyRows, limitSeries } from './dashboardData';
import { count, ms, pct, shortMs, shortUsd, usd } from './formatFigures';
import { SERIES_COUNT } from './chartTheme';
import { UsageTotals } from './UsageTotals';
import type { LatencyProfileData, SummaryAnswer } from './workloadTypes';

export type LatencyState = { state: 'loading' } | { state: 'loaded'; data: LatencyProfileData | null } | { state: 'failed'; message: string };

interface Props {
  answer: SummaryAnswer;
  latency: LatencyState;
  /** Controls beside the heading (delete all records). */
  actions?: ReactNode;
}

/** The dashboard of the user's records: totals, the price catalog's date, and four charts with their tables. */
export function Dashboard({ answer, latency, actions }: Props) {
  const { summary } = answer;
  return (
    <section aria-labelledby="dashboard-heading" className="dashboard">
      <div className="dashboard-head">
        <h2 id="dashboard-heading">Dashboard</h2>
        {actions}
      </div>
      <UsageTotals summary={summary} pricesAsOf={answer.prices_as_of} prices={answer.prices} />
      <div className="dashboard-grid">
        <CostByDayFigure answer={answer} />
        <CostByFeatureFigure answer={answer} />
        <LatencyFigure answer={answer} latency={latency} />
        <ErrorRateFigure answer={answer} />
      </div>
    </section>
  );
}

function CostByDayFigure({ answer }: { answer: SummaryAnswer }) {
  const data = useMemo(() => costByDay(answer.summary), [answer]);
  const spec = useMemo<ChartSpec>(
    () => ({ labels: data.days, series: limitSeries(data.models, data.cost, SERIES_COUNT), stacked: true, format: usd, axisFormat: shortUsd }),
    [data],
  );
  const table = useMemo<TableSpec>(
    () => ({
      rowHeader: data.daily ? 'Day (UTC)' : 'Period (UTC)',
      columns: [...data.models, 'Total'],
      rows: data.days.map((day, i) => ({ label: day, cells: [...data.cost[i].map(usd), usd(data.cost[i].reduce((a, b) => a + b, 0))] })),
    }),
    [data],
  );
  return (
    <ChartFigure
      testId="chart-cost-by-day"
      caption={data.daily ? 'Cost per day by model' : 'Cost by model'}
      spec={spec}
      table={table}
      note={data.daily ? undefined : 'This server does not give a daily breakdown; the figures cover the whole period.'}
    />
  );
}

function CostByFeatureFigure({ answer }: { answer: SummaryAnswer }) {
  const features = answer.summary.by_feature;
  const spec = useMemo<ChartSpec>(
    () => ({ labels: features.map((f) => f.name), series: [{ label: 'Cost', values: features.map((f) => f.cost_usd) }], horizontal: true, format: usd, axisFormat: shortUsd }),
    [features],
  );
  const table = useMemo<TableSpec>(
    () => ({
      rowHeader: 'Feature',
      columns: ['Cost', 'Share of cost', 'Calls'],
      rows: features.map((f) => ({ label: f.name, cells: [usd(f.cost_usd), pct(f.cost_share), count(f.requests)] })),
    }),
    [features],
  );
  return <ChartFigure testId="chart-cost-by-feature" caption="Cost by feature" spec={spec} table={table} />;
}

function LatencyFigure({ answer, latency }: { answer: SummaryAnswer; latency: LatencyState }) {
  const profile = latency.state === 'loaded' ? latency.data : null;
  const rows = useMemo(() => latencyRows(answer.summary.by_model, profile), [answer, profile]);
  const spec = useMemo<ChartSpec>(
    () => ({
      labels: rows.map((r) => r.model),
      series: (['p50', 'p95', 'p99'] as const).map((p) => ({ label: p, values: rows.map((r) => r[p] ?? 0) })),
      horizontal: true,
      format: ms,
      axisFormat: shortMs,
    }),
    [rows],
  );
  const table = useMemo<TableSpec>(
    () => ({
      rowHeader: 'Model',
      columns: ['p50', 'p95', 'p99'],
      rows: rows.map((r) => ({ label: r.model, cells: [r.p50, r.p95, r.p99].map((v) => (v === null ? '—' : ms(v))) })),
    }),
    [rows],
  );
  const note =
    latency.state === 'loading'
      ? 'Loading the percentiles…'
      : latency.state === 'failed'
        ? `The percentiles could not be loaded (${latency.message}).`
        : undefined;
  return <ChartFigure testId="chart-latency" caption="Latency percentiles by model" spec={spec} table={table} note={note} />;
}

function ErrorRateFigure({ answer }: { answer: SummaryAnswer }) {
  const models = answer.summary.by_model;
  const spec = useMemo<ChartSpec>(
    () => ({ labels: models.map((m) => m.name), series: [{ label: 'Error rate', values: models.map((m) => m.error_rate) }], horizontal: true, format: pct }),
    [models],
  );
  const table = useMemo<TableSpec>(
    () => ({
      rowHeader: 'Model',
      columns: ['Error rate', 'Errors', 'Calls'],
      rows: models.map((m) => ({ label: m.name, cells: [pct(m.error_rate), count(m.errors), count(m.requests)] })),
    }),
    [models],
  );
  return <ChartFigure testId="chart-error-rate" caption="Error rate by model" spec={spec} table={table} />;
}
