import type { ImportAnswer, RowError } from './workloadTypes';

// What the page shows after an import (docs/workloads.md#22-import): the result sentence and one line per row
// problem, from the 200 answer or from the refusal's problem body (which carries the same row_errors).

export interface RowProblem {
  line: number;
  text: string;
}

export interface ImportOutcome {
  ok: boolean;
  /** The problem's error_code when the import was refused. */
  code: string | null;
  message: string;
  problems: RowProblem[];
  /** Problems counted by the server beyond those it listed (it lists the first Workloads:MaxReportedErrors). */
  unlisted: number;
  imported: number;
}

export type ImportFormatChoice = 'auto' | 'csv' | 'jsonl';

export interface ImportOptions {
  format: ImportFormatChoice;
  skipInvalid: boolean;
  replace: boolean;
}

/** The query string of POST /api/workloads/import for the chosen options (defaults are left out). */
export function importQuery(options: ImportOptions): string {
  const params = new URLSearchParams();
  if (options.format !== 'auto') params.set('format', options.format);
  if (options.skipInvalid) params.set('skip_invalid', 'true');
  if (options.replace) params.set('replace', 'true');
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function problemText(error: RowError): string {
  return `Line ${error.line}${error.field ? `, ${error.field}` : ''}: ${error.reason}`;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function problemsOf(rowErrors: RowError[] | undefined, count: number | undefined) {
  const listed = Array.isArray(rowErrors) ? rowErrors : [];
  return {
    problems: listed.map((e) => ({ line: e.line, text: problemText(e) })),
    unlisted: Math.max(0, (count ?? listed.length) - listed.length),
  };
}

export function outcomeOfAnswer(answer: ImportAnswer): ImportOutcome {
  const skipped = answer.skipped > 0 ? `; skipped ${plural(answer.skipped, 'invalid record', 'invalid records')}` : '';
  const replaced = answer.replaced ? ', replacing your earlier records' : '';
  return {
    ok: true,
    code: null,
    message: `Imported ${plural(answer.imported, 'record', 'records')}${skipped}${replaced}.`,
    ...problemsOf(answer.row_errors, answer.error_count),
    imported: answer.imported,
  };
}

/** A refusal: `status` and the problem body's text (application/problem+json, docs/http-api.md). */
export function outcomeOfRefusal(status: number, bodyText: string): ImportOutcome {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(bodyText) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status alone speaks.
  }
  const code = typeof body.error_code === 'string' ? body.error_code : `HTTP_${status}`;
  const detail = typeof body.detail === 'string' ? body.detail : `The import failed (${status}).`;
  const { problems, unlisted } = problemsOf(body.row_errors as RowError[] | undefined, body.error_count as number | undefined);
  return { ok: false, code, message: refusalMessage(code, detail, problems.length + unlisted), problems, unlisted, imported: 0 };
}

function refusalMessage(code: string, detail: string, problemCount: number): string {
  if (code === 'VALIDATION_FAILED' && problemCount > 0) {
    return `${plural(problemCount, 'problem', 'problems')} found; nothing was imported. Fix the file, or tick "Skip invalid rows" to import only the valid records.`;
  }
  if (code === 'UNSUPPORTED_MEDIA_TYPE') {
    return 'The file\'s format could not be told: name it .csv, .jsonl or .ndjson, or choose its format.';
  }
  return detail;
}
