import { describe, expect, it } from 'vitest';
import { costByDay, hasPercentiles, latencyRows, limitSeries } from './dashboardData';
import type { UsageGroup, UsageSummary } from './workloadTypes';

function group(name: string, cost: number, extra: Partial<UsageGroup> = {}): UsageGroup {
  return { name, provider: 'openai', records: 1, requests: 1, cost_usd: cost, cost_share: 0, input_tokens: 0, output_tokens: 0, errors: 0, error_rate: 0, avg_latency_ms: 0, ...extra };
}

function summary(extra: Partial<UsageSummary> = {}): UsageSummary {
  return {
    records: 6,
    requests: 6,
    first_timestamp: '2026-11-20T09:15:02.000Z',
    last_timestamp: '2026-11-22T23:30:00.000Z',
    total_cost_usd: 0.06,
    input_tokens: 0,
    output_tokens: 0,
    errors: 0,
    error_rate: 0,
    avg_latency_ms: 0,
    by_model: [group('claude-sonnet-4-5', 0.04), group('gpt-4o', 0.015), group('gpt-4o-mini', 0.0004)],
    by_feature: [],
    ...extra,
  };
}

describe('costByDay', () => {
  it('pivots the daily rows into days by models, days in order and models most costly first', () => {
    const data = costByDay(
      summary({
        by_day: [
          { date: '2026-11-21', model: 'gpt-4o-mini', records: 2, cost_usd: 0.0003 },
          { date: '2026-11-20', model: 'gpt-4o', records: 1, cost_usd: 0.007 },
          { date: '2026-11-20', model: 'gpt-4o-mini', records: 1, cost_usd: 0.0001 },
          { date: '2026-11-22', model: 'claude-sonnet-4-5', records: 1, cost_usd: 0.04 },
          { date: '2026-11-22', model: 'gpt-4o', records: 1, cost_usd: 0.008 },
        ],
      }),
    );
    expect(data.daily).toBe(true);
    expect(data.days).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(data.models).toEqual(['claude-sonnet-4-5', 'gpt-4o', 'gpt-4o-mini']);
    expect(data.cost).toEqual([
      [0, 0.007, 0.0001],
      [0, 0, 0.0003],
      [0.04, 0.008, 0],
    ]);
  });

  it('adds a model that appears only in the daily rows', () => {
    const data = costByDay(summary({ by_model: [], by_day: [{ date: '2026-11-20', model: 'o3', records: 1, cost_usd: 1 }] }));
    expect(data.models).toEqual(['o3']);
    expect(data.cost).toEqual([[1]]);
  });

  it('without a daily breakdown shows the whole period as one row of the models', () => {
    const data = costByDay(summary());
    expect(data.daily).toBe(false);
    expect(data.days).toEqual(['2026-11-20 to 2026-11-22']);
    expect(data.cost).toEqual([[0.04, 0.015, 0.0004]]);
  });
});

describe('limitSeries', () => {
  it('keeps every series when they fit', () => {
    expect(limitSeries(['a', 'b'], [[1, 2], [3, 4]], 3)).toEqual([
      { label: 'a', values: [1, 3] },
      { label: 'b', values: [2, 4] },
    ]);
  });

  it('sums the smallest series into "Other" so no more than the maximum are drawn', () => {
    const series = limitSeries(['a', 'b', 'c', 'd'], [[1, 2, 3, 4], [10, 20, 30, 40]], 3);
    expect(series.map((s) => s.label)).toEqual(['a', 'b', 'Other (2 models)']);
    expect(series[2].values).toEqual([7, 70]);
  });
});

describe('latencyRows', () => {
  const profile = { overall: { p50_ms: 1, p95_ms: 2, p99_ms: 3 }, by_model: { 'GPT-4o': { p50_ms: 900, p95_ms: 2300, p99_ms: 2400 } }, error_rate: 0 };

  it('takes the percentiles from the latency profile, matching model names without regard to case', () => {
    expect(latencyRows([group('gpt-4o', 1), group('gpt-4o-mini', 1)], profile)).toEqual([
      { model: 'gpt-4o', p50: 900, p95: 2300, p99: 2400 },
      { model: 'gpt-4o-mini', p50: null, p95: null, p99: null },
    ]);
  });

  it('prefers percentiles the summary states', () => {
    const stated = group('gpt-4o', 1, { p50_latency_ms: 1, p95_latency_ms: 2, p99_latency_ms: 3 });
    expect(latencyRows([stated], profile)).toEqual([{ model: 'gpt-4o', p50: 1, p95: 2, p99: 3 }]);
    expect(hasPercentiles(summary({ by_model: [stated] }))).toBe(true);
    expect(hasPercentiles(summary())).toBe(false);
  });
});
