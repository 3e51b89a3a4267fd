import { describe, expect, it } from 'vitest';
import { splitBlocks } from './splitBlocks';

describe('splitBlocks', () => {
  it('splits at blank lines', () => {
    expect(splitBlocks('## Summary\n\nSave half.\nReally.\n\n\n- a\n- b\n')).toEqual(['## Summary', 'Save half.\nReally.', '- a\n- b']);
  });

  it('keeps a fenced code block with blank lines whole', () => {
    expect(splitBlocks('Intro\n\n```\nline 1\n\nline 2\n```\n\nAfter')).toEqual(['Intro', '```\nline 1\n\nline 2\n```', 'After']);
  });

  it('keeps a growing last block as the last element', () => {
    expect(splitBlocks('Done.\n\nStill wri')).toEqual(['Done.', 'Still wri']);
    expect(splitBlocks('')).toEqual([]);
  });
});
