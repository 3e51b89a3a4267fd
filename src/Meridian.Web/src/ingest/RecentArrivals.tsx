import { count } from '../usage/formatFigures';
import type { IngestRecent } from './ingestTypes';

/** What arrived in the last hour, in all and per key (docs/ingest.md#1-ingest-keys). */
export function RecentArrivals({ recent }: { recent: IngestRecent }) {
  const active = recent.keys.filter((k) => k.exports > 0);
  return (
    <section className="ingest-panel" aria-labelledby="recent-title" data-testid="ingest-recent">
      <h2 id="recent-title">Last hour</h2>
      <p data-testid="ingest-recent-totals">
        {count(recent.accepted)} model calls stored, {count(recent.rejected)} rejected, {count(recent.ignored)} other spans ignored.
      </p>
      {active.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">Arrivals per key in the last hour</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Exports</th>
              <th scope="col">Stored</th>
              <th scope="col">Rejected</th>
              <th scope="col">Ignored</th>
              <th scope="col">Last export</th>
            </tr>
          </thead>
          <tbody>
            {active.map((k) => (
              <tr key={k.key_id}>
                <th scope="row">{k.name}</th>
                <td>{count(k.exports)}</td>
                <td>{count(k.accepted)}</td>
                <td>{count(k.rejected)}</td>
                <td>{count(k.ignored)}</td>
                <td>{k.last_at ? new Date(k.last_at).toLocaleTimeString() : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
