import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useServices } from '../app/ServicesContext';
import { errorText } from '../app/errorText';
import { ErrorAlert } from '../shell/ErrorAlert';
import { Checkbox } from './Checkbox';
import type { ImportFormatChoice, ImportOutcome } from './importOutcome';
import { RowProblems } from './RowProblems';
import { UploadProgressBar } from './UploadProgressBar';
import { uploadUsageFile, type UploadProgress } from './uploadUsageFile';

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/** Import a CSV or JSON Lines file of usage records (docs/workloads.md), with upload progress and the row problems. */
export function ImportForm({ onImported }: { onImported: () => void }) {
  const { session, notices } = useServices();
  const fileInput = useRef<HTMLInputElement>(null);
  const outcomeBox = useRef<HTMLDivElement>(null);
  const upload = useRef<AbortController | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);
  const [format, setFormat] = useState<ImportFormatChoice>('auto');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [replace, setReplace] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);

  // Focus follows the action: to the result once the import has answered.
  useEffect(() => {
    if (outcome) outcomeBox.current?.focus();
  }, [outcome]);

  useEffect(() => () => upload.current?.abort(), []);

  const busy = progress !== null;
  // While uploading, the form's controls are disabled: the focus waits on "Cancel upload", and returns to the
  // file input when the upload is cancelled.
  useEffect(() => {
    if (busy) {
      cancelButton.current?.focus();
    } else if (cancelled.current) {
      cancelled.current = false;
      fileInput.current?.focus();
    }
  }, [busy]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setOutcome({ ok: false, code: 'NO_FILE', message: 'Choose a file to import first.', problems: [], unlisted: 0, imported: 0 });
      return;
    }
    const controller = new AbortController();
    upload.current = controller;
    setOutcome(null);
    notices.announce(`Uploading ${file.name}`);
    try {
      const result = await uploadUsageFile(session, file, { format, skipInvalid, replace }, setProgress, controller.signal);
      setOutcome(result);
      notices.announce(result.ok ? result.message : `Import refused: ${result.message}`);
      if (result.ok) onImported();
    } catch (error) {
      if (isAbort(error)) {
        notices.announce('Upload cancelled');
        cancelled.current = true;
      } else {
        const { code, message } = errorText(error);
        setOutcome({ ok: false, code, message, problems: [], unlisted: 0, imported: 0 });
        notices.announce(`Import failed: ${message}`);
      }
    } finally {
      upload.current = null;
      setProgress(null);
    }
  }

  return (
    <section className="usage-panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import records</h2>
      <form onSubmit={submit} aria-busy={busy}>
        <div className="field">
          <label htmlFor="usage-file">Usage file</label>
          <input
            ref={fileInput}
            id="usage-file"
            type="file"
            accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
            aria-describedby="usage-file-hint"
            disabled={busy}
          />
          <p id="usage-file-hint" className="hint">
            CSV or JSON Lines, one record per model call (timestamp, model, input_tokens, output_tokens, latency_ms, status, …).
          </p>
        </div>
        <div className="field">
          <label htmlFor="usage-format">Format</label>
          <select id="usage-format" value={format} onChange={(e) => setFormat(e.target.value as ImportFormatChoice)} disabled={busy}>
            <option value="auto">From the file name</option>
            <option value="csv">CSV</option>
            <option value="jsonl">JSON Lines</option>
          </select>
        </div>
        <Checkbox id="skip-invalid" label="Skip invalid rows" checked={skipInvalid} onChange={setSkipInvalid} disabled={busy} />
        <p className="hint check-hint">Otherwise a file with any invalid row imports nothing.</p>
        <Checkbox id="replace-records" label="Replace my current records" checked={replace} onChange={setReplace} disabled={busy} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Import
          </button>
          {busy && (
            <button ref={cancelButton} type="button" onClick={() => upload.current?.abort()}>
              Cancel upload
            </button>
          )}
        </div>
        {progress && <UploadProgressBar progress={progress} />}
      </form>
      {outcome && (
        <div ref={outcomeBox} tabIndex={-1} className="import-outcome">
          {outcome.ok ? (
            <p data-testid="import-result" className="import-result">
              {outcome.message}
            </p>
          ) : (
            <div data-testid="import-result">
              <ErrorAlert code={outcome.code ?? 'IMPORT_FAILED'} message={outcome.message} />
            </div>
          )}
          {outcome.problems.length > 0 && <RowProblems problems={outcome.problems} unlisted={outcome.unlisted} />}
        </div>
      )}
    </section>
  );
}
