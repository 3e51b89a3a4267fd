import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  it('doubles each attempt, within half to all of the step', () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const step = 500 * 2 ** attempt;
      expect(backoffDelayMs(attempt, { random: () => 0 })).toBe(step / 2);
      expect(backoffDelayMs(attempt, { random: () => 1 })).toBe(step);
    }
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect(backoffDelayMs(50, { random: () => 1 })).toBe(30_000);
    expect(backoffDelayMs(1000, { random: () => 0 })).toBe(15_000);
  });

  it('spreads clients that failed at the same moment', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(4)));

    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(4000);
  });
});
