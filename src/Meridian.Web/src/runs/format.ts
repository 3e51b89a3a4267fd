import type { RunUsage } from '../api/types';

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatUsage(usage: RunUsage): string {
  const tokens = usage.input_tokens + usage.output_tokens;
  const calls = usage.llm_calls === 1 ? '1 model call' : `${usage.llm_calls} model calls`;
  const cost = usage.cost_usd < 0.01 && usage.cost_usd > 0 ? usage.cost_usd.toFixed(4) : usage.cost_usd.toFixed(2);
  return `${NUMBER.format(tokens)} tokens (${NUMBER.format(usage.input_tokens)} in, ${NUMBER.format(usage.output_tokens)} out) · ${calls} · cost $${cost}`;
}

// One formatter, made once: toLocaleString builds a new one on every call, which shows in long runs.
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return NUMBER.format(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value) && value.length === 0) return '—';
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.map(formatValue).join(', ');
  return JSON.stringify(value);
}

export const STAGE_LABELS: Record<string, string> = {
  triage: 'Triage',
  data: 'Data',
  optimization: 'Optimization',
  actions: 'Actions',
  reporting: 'Reporting',
};

export const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  stopped: 'Stopped',
  pending: 'Pending',
  skipped: 'Skipped',
};
