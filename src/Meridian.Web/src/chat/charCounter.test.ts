import { describe, expect, it } from 'vitest';
import { counterState } from './charCounter';

describe('counterState', () => {
  it('shows "n / max" for the trimmed text, as the server measures it', () => {
    expect(counterState('', 20000).label).toBe('0 / 20000');
    expect(counterState('  hello \n', 20000).label).toBe('5 / 20000');
  });

  it('counts UTF-16 code units like the server (an emoji is 2)', () => {
    expect(counterState('€😀', 10).length).toBe(3);
  });

  it('is over the limit only past max, near it in the last tenth', () => {
    expect(counterState('a'.repeat(100), 100)).toMatchObject({ over: false, near: true });
    expect(counterState('a'.repeat(101), 100)).toMatchObject({ over: true });
    expect(counterState('a'.repeat(90), 100).near).toBe(false);
  });
});
