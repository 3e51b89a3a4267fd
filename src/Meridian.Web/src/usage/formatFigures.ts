// How the usage page and the report actions write money, shares, latency and counts (en-US, as the tools do).

export function usd(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Dollars for a chart's axis: as few digits as tell the ticks apart (whole dollars from $10). */
export function shortUsd(value: number): string {
  if (value === 0) return '$0';
  const size = Math.abs(value);
  if (size < 0.01) return usd(value);
  return `$${value.toLocaleString('en-US', { maximumFractionDigits: size >= 10 ? 0 : 2 })}`;
}

/** A share (0.125) as a percentage ("12.5%"). */
export function pct(share: number): string {
  return `${(share * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
}

export function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/** Latency for a chart's axis: seconds from one second up. */
export function shortMs(value: number): string {
  return value >= 1000 ? `${(value / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s` : `${Math.round(value)} ms`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** The UTC day (YYYY-MM-DD) of an ISO-8601 timestamp the server wrote (always UTC, `Z`). */
export function utcDay(timestamp: string): string {
  return new Date(timestamp).toISOString().slice(0, 10);
}
