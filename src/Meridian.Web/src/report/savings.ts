import type { RunState } from '../runs/runState';

// The optimization stage's savings (docs/agents.md): `result.optimization.savings` of the run's agent_completed
// event, or, while the result is not known (an older run, a stage summary only), the data of the run's last
// completed `savings_estimate` tool call. Both are the tool's SavingsData (snake_case).

export interface SavingsFigures {
  /** Monthly spend now and after the recommendations, US dollars; 0 when the spend is not known. */
  monthlyCost: number;
  monthlyCostAfter: number;
  monthlySavings: number;
  /** The combined saving as a share of spend (0–1); known even when the spend is not. */
  savingsShare: number;
  p95Ms: number | null;
  p95AfterMs: number | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function savingsOf(run: Pick<RunState, 'result' | 'tools'>): SavingsFigures | null {
  const fromResult = isObject(run.result) && isObject(run.result.optimization) ? run.result.optimization.savings : undefined;
  return figures(fromResult) ?? figures(lastSavingsTool(run));
}

function lastSavingsTool(run: Pick<RunState, 'tools'>): unknown {
  const calls = Object.values(run.tools).filter((t) => t.tool === 'savings_estimate' && t.status === 'completed');
  return calls.length > 0 ? calls[calls.length - 1].data : undefined;
}

function figures(data: unknown): SavingsFigures | null {
  if (!isObject(data)) return null;
  const cost = num(data.monthly_cost_usd);
  const share = num(data.combined_savings_pct);
  if (cost === null || share === null) return null;
  const savings = num(data.combined_monthly_savings_usd) ?? cost * share;
  return {
    monthlyCost: cost,
    monthlyCostAfter: num(data.monthly_cost_after_usd) ?? cost - savings,
    monthlySavings: savings,
    savingsShare: share,
    p95Ms: num(data.p95_latency_ms) || null,
    p95AfterMs: num(data.p95_latency_after_ms) || null,
  };
}
