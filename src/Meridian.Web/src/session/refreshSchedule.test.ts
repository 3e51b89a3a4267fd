import { describe, expect, it } from 'vitest';
import { isFresh, refreshDelayMs } from './refreshSchedule';

const MIN = 60_000;

describe('refreshDelayMs', () => {
  it('refreshes a 15-minute token a minute (plus up to 5 s of jitter) before it expires', () => {
    expect(refreshDelayMs(0, 15 * MIN, 0, () => 0)).toBe(14 * MIN);
    expect(refreshDelayMs(0, 15 * MIN, 0, () => 1)).toBe(14 * MIN - 5_000);
  });

  it('counts from now: a token already half used waits less', () => {
    expect(refreshDelayMs(0, 15 * MIN, 7 * MIN, () => 0)).toBe(7 * MIN);
  });

  it('refreshes a short-lived token at four fifths of its life', () => {
    expect(refreshDelayMs(0, 2 * MIN, 0, () => 0)).toBe(96_000);
  });

  it('refreshes at once when the token is (nearly) expired', () => {
    expect(refreshDelayMs(0, 15 * MIN, 14.5 * MIN, () => 0)).toBe(0);
    expect(refreshDelayMs(0, 15 * MIN, 20 * MIN, () => 0)).toBe(0);
  });
});

describe('isFresh', () => {
  it('is fresh until the lead time before expiry', () => {
    expect(isFresh(15 * MIN, 13 * MIN, 0)).toBe(true);
    expect(isFresh(15 * MIN, 14.5 * MIN, 0)).toBe(false);
  });
});
