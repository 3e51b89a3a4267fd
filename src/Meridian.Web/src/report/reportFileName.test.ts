import { describe, expect, it } from 'vitest';
import { reportFileName } from './reportFileName';

describe('reportFileName', () => {
  it('names the file after the thread and the run', () => {
    expect(reportFileName('How can I cut my LLM costs by 30%?', 'run_01a24a4ffd7b7e38829d1c9e245418ba')).toBe('how-can-i-cut-my-llm-costs-by-30-245418ba.md');
  });

  it('drops accents and characters a file name should not hold', () => {
    expect(reportFileName('Coûts / Q4: "été"', 'run_1')).toBe('couts-q4-ete-run1.md');
  });

  it('falls back to a generic name without a usable title', () => {
    expect(reportFileName(null, 'run_abc')).toBe('meridian-report-runabc.md');
    expect(reportFileName('¿?', 'run_abc')).toBe('meridian-report-runabc.md');
  });

  it('keeps long titles short', () => {
    expect(reportFileName('a'.repeat(200), 'run_1')).toBe(`${'a'.repeat(60)}-run1.md`);
  });
});
