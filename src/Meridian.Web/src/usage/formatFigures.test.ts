import { describe, expect, it } from 'vitest';
import { ms, pct, shortMs, shortUsd, usd, utcDay } from './formatFigures';

describe('formatFigures', () => {
  it('writes dollars with cents, and sub-cent amounts with four decimals', () => {
    expect(usd(1234.5)).toBe('$1,234.50');
    expect(usd(0)).toBe('$0.00');
    expect(usd(0.000181)).toBe('$0.0002');
    expect(shortUsd(1500.4)).toBe('$1,500');
    expect(shortUsd(0.25)).toBe('$0.25');
    expect(shortUsd(1.2)).toBe('$1.2');
    expect(shortUsd(0.0004)).toBe('$0.0004');
    expect(shortUsd(0)).toBe('$0');
  });

  it('writes shares as percentages and latency in milliseconds or seconds', () => {
    expect(pct(0.3857)).toBe('38.6%');
    expect(pct(1)).toBe('100%');
    expect(ms(2140.4)).toBe('2,140 ms');
    expect(shortMs(15000)).toBe('15 s');
    expect(shortMs(500)).toBe('500 ms');
  });

  it('takes the UTC day of a timestamp', () => {
    expect(utcDay('2026-11-20T23:59:59.999Z')).toBe('2026-11-20');
  });
});
