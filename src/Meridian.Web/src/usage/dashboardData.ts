import { utcDay } from './formatFigures';
import type { LatencyProfileData, UsageGroup, UsageSummary } from './workloadTypes';

// The dashboard's figures, computed from GET /api/workloads/summary (and the latency_profile tool), one
// function per chart; the same numbers feed the canvas and its accessible table.

export interface CostByDay {
  /** Row labels: UTC days (YYYY-MM-DD), or the whole period as one row when the summary has no `by_day`. */
  days: string[];
  /** Column labels: models, most costly first. */
  models: string[];
  /** cost[day][model], US dollars. */
  cost: number[][];
  /** Whether the rows are single days. */
  daily: boolean;
}

export function costByDay(summary: UsageSummary): CostByDay {
  const models = summary.by_model.map((m) => m.name);
  if (!summary.by_day) {
    const period =
      summary.first_timestamp && summary.last_timestamp ? periodLabel(utcDay(summary.first_timestamp), utcDay(summary.last_timestamp)) : 'All records';
    return { days: [period], models, cost: [summary.by_model.map((m) => m.cost_usd)], daily: false };
  }
  const days = [...new Set(summary.by_day.map((d) => d.date))].sort();
  const known = new Set(models);
  for (const row of summary.by_day) {
    if (!known.has(row.model)) {
      known.add(row.model);
      models.push(row.model);
    }
  }
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const modelIndex = new Map(models.map((m, i) => [m, i]));
  const cost = days.map(() => models.map(() => 0));
  for (const row of summary.by_day) cost[dayIndex.get(row.date)!][modelIndex.get(row.model)!] += row.cost_usd;
  return { days, models, cost, daily: true };
}

function periodLabel(first: string, last: string): string {
  return first === last ? first : `${first} to ${last}`;
}

export interface ChartSeries {
  label: string;
  values: number[];
}

/**
 * At most `max` series for a chart: the first `max - 1` columns as they are and the rest summed as "Other",
 * so a workload of twenty models still draws distinguishable colours (the table keeps every column).
 */
export function limitSeries(labels: string[], columns: number[][], max: number): ChartSeries[] {
  const series = labels.map((label, i) => ({ label, values: columns.map((row) => row[i]) }));
  if (series.length <= max) return series;
  const kept = series.slice(0, max - 1);
  const rest = series.slice(max - 1);
  kept.push({ label: `Other (${rest.length} models)`, values: columns.map((_, r) => rest.reduce((sum, s) => sum + s.values[r], 0)) });
  return kept;
}

export interface LatencyRow {
  model: string;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** p50/p95/p99 per model, from the summary's groups when they carry them, else from the latency profile. */
export function latencyRows(models: UsageGroup[], profile: LatencyProfileData | null): LatencyRow[] {
  const byName = new Map(Object.entries(profile?.by_model ?? {}).map(([name, p]) => [name.toLowerCase(), p]));
  return models.map((m) => {
    if (m.p50_latency_ms !== undefined && m.p95_latency_ms !== undefined && m.p99_latency_ms !== undefined) {
      return { model: m.name, p50: m.p50_latency_ms, p95: m.p95_latency_ms, p99: m.p99_latency_ms };
    }
    const p = byName.get(m.name.toLowerCase());
    return { model: m.name, p50: p?.p50_ms ?? null, p95: p?.p95_ms ?? null, p99: p?.p99_ms ?? null };
  });
}

/** Whether the summary itself states percentiles (then the latency profile need not be asked for). */
export function hasPercentiles(summary: UsageSummary): boolean {
  return summary.by_model.every((m) => m.p50_latency_ms !== undefined && m.p95_latency_ms !== undefined && m.p99_latency_ms !== undefined);
}
