import { describe, expect, it } from 'vitest';
import { createRun, type ToolCall } from '../runs/runState';
import { savingsOf } from './savings';

// SavingsData as the optimization stage writes it (docs/agents.md; a real run's result.optimization.savings).
const SAVINGS = {
  monthly_cost_usd: 69.44,
  strategies: [],
  combined_savings_pct: 0.3857,
  combined_monthly_savings_usd: 26.78,
  monthly_cost_after_usd: 42.66,
  p95_latency_ms: 9449.4,
  p95_latency_after_ms: 3780,
  assumptions: [],
};

function tool(callId: string, data: unknown, status: ToolCall['status'] = 'completed'): ToolCall {
  return { callId, tool: 'savings_estimate', agent: 'optimization', status, parameters: {}, result: '', data, durationMs: 1 };
}

describe('savingsOf', () => {
  it('reads the optimization stage of the run result', () => {
    const run = { ...createRun('run_1', 'thread_1', 'completed'), result: { optimization: { savings: SAVINGS } } };
    expect(savingsOf(run)).toEqual({ monthlyCost: 69.44, monthlyCostAfter: 42.66, monthlySavings: 26.78, savingsShare: 0.3857, p95Ms: 9449.4, p95AfterMs: 3780 });
  });

  it('falls back to the last completed savings_estimate tool call', () => {
    const run = {
      ...createRun('run_1', 'thread_1', 'completed'),
      tools: { a: tool('a', { ...SAVINGS, monthly_cost_usd: 1 }), b: tool('b', SAVINGS), c: tool('c', null, 'failed') },
    };
    expect(savingsOf(run)?.monthlyCost).toBe(69.44);
  });

  it('keeps the share when the spend is not known, without latency it did not measure', () => {
    const unknown = { ...SAVINGS, monthly_cost_usd: 0, combined_monthly_savings_usd: 0, monthly_cost_after_usd: 0, p95_latency_ms: 0, p95_latency_after_ms: 0 };
    const run = { ...createRun('run_1', 'thread_1', 'completed'), result: { optimization: { savings: unknown } } };
    expect(savingsOf(run)).toMatchObject({ monthlyCost: 0, savingsShare: 0.3857, p95Ms: null, p95AfterMs: null });
  });

  it('is null when no stage priced anything', () => {
    expect(savingsOf(createRun('run_1', 'thread_1', 'completed'))).toBeNull();
    expect(savingsOf({ ...createRun('run_1', 'thread_1', 'completed'), result: { optimization: null, failed_stages: ['optimization'] } })).toBeNull();
  });
});
