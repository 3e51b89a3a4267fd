import { useRef, useState, type FormEvent } from 'react';
import { useApi, useServices } from '../app/ServicesContext';
import { errorText } from '../app/errorText';
import { copyText } from '../report/copyText';
import { ErrorAlert } from '../shell/ErrorAlert';
import { exporterSettings } from './exporterSettings';
import { createKey } from './ingestApi';
import type { CreatedIngestKey } from './ingestTypes';

/** Creates an ingest key and shows it this once, with the exporter settings that use it and a button to copy them. */
export function CreateKeyForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const { notices } = useServices();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [created, setCreated] = useState<CreatedIngestKey | null>(null);
  const settings = useRef<HTMLPreElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key = await createKey(api, name);
      setCreated(key);
      setName('');
      notices.announce(`Ingest key ${key.name} created; copy it now, it is shown only once`);
      onCreated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!created) return;
    const copied = await copyText(exporterSettings(location.origin, created.key), settings.current);
    notices.announce(copied ? 'Exporter settings copied' : 'Copying is not available here; the settings are selected, copy them with the keyboard');
  }

  return (
    <section className="ingest-panel" aria-labelledby="create-key-title">
      <h2 id="create-key-title">New ingest key</h2>
      <form onSubmit={submit} className="create-key-form">
        <label htmlFor="key-name">What sends with it</label>
        <input id="key-name" value={name} maxLength={100} required placeholder="checkout service, production" onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={busy || name.trim() === ''}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {error && <ErrorAlert code={error.code} message={error.message} />}
      {created && (
        <div className="new-key" data-testid="new-key" role="status">
          <p>
            <strong>Copy the key now: it is shown only this once.</strong> Give an OpenTelemetry exporter these settings:
          </p>
          <pre ref={settings} data-testid="exporter-settings">
            {exporterSettings(location.origin, created.key)}
          </pre>
          <div className="form-actions">
            <button type="button" onClick={copy}>
              Copy settings
            </button>
            <button type="button" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
