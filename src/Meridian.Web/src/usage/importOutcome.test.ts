import { describe, expect, it } from 'vitest';
import { importQuery, outcomeOfAnswer, outcomeOfRefusal } from './importOutcome';

// Bodies as the server answers them (docs/workloads.md#22-import).
const REFUSED = JSON.stringify({
  status: 422,
  error_code: 'VALIDATION_FAILED',
  detail: '2 of 3 records are invalid (2 problems); nothing was imported. Fix them, or send ?skip_invalid=true to import the valid records only.',
  errors: { input_tokens: ['line 3: must be a whole number from 0 to 100000000'], status: ["line 4: must be 'ok' or 'error'"] },
  row_errors: [
    { line: 3, field: 'input_tokens', reason: 'must be a whole number from 0 to 100000000' },
    { line: 4, field: 'status', reason: "must be 'ok' or 'error'" },
  ],
  error_count: 2,
  imported: 0,
  skipped: 2,
});

describe('importQuery', () => {
  it('leaves the defaults out', () => {
    expect(importQuery({ format: 'auto', skipInvalid: false, replace: false })).toBe('');
  });

  it('names the format and the options the server reads', () => {
    expect(importQuery({ format: 'jsonl', skipInvalid: true, replace: true })).toBe('?format=jsonl&skip_invalid=true&replace=true');
  });
});

describe('outcomeOfRefusal', () => {
  it('lists each row problem with its line and field, in the order the server gave', () => {
    const outcome = outcomeOfRefusal(422, REFUSED);
    expect(outcome.ok).toBe(false);
    expect(outcome.code).toBe('VALIDATION_FAILED');
    expect(outcome.problems).toEqual([
      { line: 3, text: 'Line 3, input_tokens: must be a whole number from 0 to 100000000' },
      { line: 4, text: "Line 4, status: must be 'ok' or 'error'" },
    ]);
    expect(outcome.unlisted).toBe(0);
    expect(outcome.message).toBe('2 problems found; nothing was imported. Fix the file, or tick "Skip invalid rows" to import only the valid records.');
  });

  it('counts the problems the server did not list', () => {
    const body = JSON.parse(REFUSED) as Record<string, unknown>;
    body.error_count = 250;
    const outcome = outcomeOfRefusal(422, JSON.stringify(body));
    expect(outcome.problems).toHaveLength(2);
    expect(outcome.unlisted).toBe(248);
    expect(outcome.message).toMatch(/^250 problems found/);
  });

  it('keeps the server detail for refusals without row problems', () => {
    const outcome = outcomeOfRefusal(413, JSON.stringify({ error_code: 'PAYLOAD_TOO_LARGE', detail: 'The body is larger than 200 MiB.' }));
    expect(outcome).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than 200 MiB.', problems: [] });
  });

  it('explains a format it could not tell in terms of the form', () => {
    expect(outcomeOfRefusal(415, JSON.stringify({ error_code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the records as text/csv …' })).message).toMatch(/choose its format/);
  });

  it('survives a body that is not JSON', () => {
    expect(outcomeOfRefusal(502, '<html>Bad gateway</html>')).toMatchObject({ ok: false, code: 'HTTP_502', message: 'The import failed (502).' });
  });
});

describe('outcomeOfAnswer', () => {
  it('states what was imported', () => {
    const outcome = outcomeOfAnswer({ imported: 6, skipped: 0, error_count: 0, row_errors: [], format: 'csv', replaced: false, detail: 'Imported 6 records.' });
    expect(outcome).toMatchObject({ ok: true, code: null, message: 'Imported 6 records.', problems: [], imported: 6 });
  });

  it('states what was skipped and replaced, and lists the skipped rows', () => {
    const outcome = outcomeOfAnswer({
      imported: 1,
      skipped: 1,
      error_count: 1,
      row_errors: [{ line: 3, field: null, reason: 'the record has 4 fields; the header has 10' }],
      format: 'csv',
      replaced: true,
      detail: '',
    });
    expect(outcome.message).toBe('Imported 1 record; skipped 1 invalid record, replacing your earlier records.');
    expect(outcome.problems).toEqual([{ line: 3, text: 'Line 3: the record has 4 fields; the header has 10' }]);
  });
});
