import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../app/ServicesContext';
import { errorText } from '../app/errorText';
import { ErrorAlert } from '../shell/ErrorAlert';
import { CreateKeyForm } from './CreateKeyForm';
import { KeyTable } from './KeyTable';
import { RecentArrivals } from './RecentArrivals';
import { listKeys, recentIngest } from './ingestApi';
import type { IngestKey, IngestRecent } from './ingestTypes';
import './ingest.css';

type State = { state: 'loading' } | { state: 'loaded'; keys: IngestKey[]; recent: IngestRecent } | { state: 'failed'; code: string; message: string };

/** Seconds between refreshes of "last hour", so arrivals show up while the page is open. */
const REFRESH_SECONDS = 15;

/** The ingest page (/ingest): ingest keys for OpenTelemetry exporters, and what arrived with them in the last hour
 * (docs/ui.md#12-the-ingest-page; docs/ingest.md). */
export default function IngestPage() {
  const api = useApi();
  const [view, setView] = useState<State>({ state: 'loading' });
  const loads = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    loads.current?.abort();
    const controller = new AbortController();
    loads.current = controller;
    try {
      const [keys, recent] = await Promise.all([listKeys(api, controller.signal), recentIngest(api, controller.signal)]);
      setView({ state: 'loaded', keys, recent });
    } catch (error) {
      if (!controller.signal.aborted) setView((current) => (current.state === 'loaded' ? current : { state: 'failed', ...errorText(error) }));
    }
  }, [api]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_SECONDS * 1000);
    return () => {
      window.clearInterval(timer);
      loads.current?.abort();
    };
  }, [load]);

  return (
    <main id="main" className="page ingest-page">
      <h1>Ingest</h1>
      <p className="muted">
        Send your applications' OpenTelemetry traces here: every model call they record becomes one of your usage records. Each
        exporter gets its own key.
      </p>
      <CreateKeyForm onCreated={load} />
      {view.state === 'loading' && (
        <p className="muted" aria-busy="true">
          Loading your keys…
        </p>
      )}
      {view.state === 'failed' && <ErrorAlert code={view.code} message={view.message} />}
      {view.state === 'loaded' && (
        <>
          <section className="ingest-panel" aria-labelledby="keys-title">
            <h2 id="keys-title">Your keys</h2>
            <KeyTable keys={view.keys} onChanged={load} />
          </section>
          <RecentArrivals recent={view.recent} />
        </>
      )}
    </main>
  );
}
