import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Notices } from './Notices';

describe('Notices', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('empties the live region before each announcement, so the same words are spoken again', () => {
    const notices = new Notices();
    const heard: string[] = [];
    notices.subscribe(() => heard.push(notices.announced));

    notices.announce('Run completed');
    vi.advanceTimersByTime(100);
    notices.announce('Run completed');
    vi.advanceTimersByTime(100);

    expect(heard).toEqual(['', 'Run completed', '', 'Run completed']);
  });

  it('keeps one alert per error code, the newest', () => {
    const notices = new Notices();

    notices.error('RATE_LIMITED', 'first');
    notices.error('RUN_LIMIT', 'other');
    notices.error('RATE_LIMITED', 'second');

    expect(notices.list.map((n) => `${n.code}:${n.message}`)).toEqual(['RUN_LIMIT:other', 'RATE_LIMITED:second']);
  });
});
