import { useState } from 'react';
import { useApi, useServices } from '../app/ServicesContext';
import { errorText } from '../app/errorText';
import { ErrorAlert } from '../shell/ErrorAlert';
import { revokeKey } from './ingestApi';
import type { IngestKey } from './ingestTypes';

const when = (timestamp: string | null) => (timestamp ? new Date(timestamp).toLocaleString() : '—');

/** The user's ingest keys, newest first; a live key can be revoked (after a confirmation), which stops it at once. */
export function KeyTable({ keys, onChanged }: { keys: IngestKey[]; onChanged: () => void }) {
  const api = useApi();
  const { notices } = useServices();
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  async function revoke(key: IngestKey) {
    if (!window.confirm(`Revoke ${key.name}? Exports sending it are refused from now on.`)) return;
    setError(null);
    try {
      await revokeKey(api, key.id);
      notices.announce(`Ingest key ${key.name} revoked`);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  }

  if (keys.length === 0) return <p className="muted" data-testid="no-keys">No ingest keys yet.</p>;
  return (
    <>
      {error && <ErrorAlert code={error.code} message={error.message} />}
      <table className="data-table" data-testid="ingest-keys">
        <caption className="visually-hidden">Ingest keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <th scope="row">{key.name}</th>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{when(key.created_at)}</td>
              <td>{when(key.last_used_at)}</td>
              <td>
                {key.revoked_at ? (
                  `Revoked ${when(key.revoked_at)}`
                ) : (
                  <button type="button" className="danger-outline" onClick={() => void revoke(key)} aria-label={`Revoke ${key.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
