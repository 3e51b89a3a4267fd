import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../app/ServicesContext';
import { errorText } from '../app/errorText';
import { ErrorAlert } from '../shell/ErrorAlert';
import { Dashboard, type LatencyState } from './Dashboard';
import { hasPercentiles } from './dashboardData';
import { DeleteAllRecords } from './DeleteAllRecords';
import { ImportForm } from './ImportForm';
import { SyntheticForm } from './SyntheticForm';
import { latencyProfile, usageSummary } from './workloadApi';
import type { SummaryAnswer } from './workloadTypes';
import './usage.css';

type SummaryState = { state: 'loading' } | { state: 'loaded'; answer: SummaryAnswer } | { state: 'failed'; code: string; message: string };

/** The usage page (/usage): import records, generate a synthetic workload, and the dashboard of the records
 * (docs/ui.md#9-the-usage-page; docs/workloads.md). Loaded lazily, with Chart.js loaded later still by its charts. */
export default function UsagePage() {
  const api = useApi();
  const [summary, setSummary] = useState<SummaryState>({ state: 'loading' });
  const [latency, setLatency] = useState<LatencyState>({ state: 'loading' });
  const loads = useRef<AbortController | null>(null);
  const empty = useRef<HTMLDivElement>(null);
  const focusEmpty = useRef(false);

  const load = useCallback(async () => {
    loads.current?.abort();
    const controller = new AbortController();
    loads.current = controller;
    try {
      const answer = await usageSummary(api, controller.signal);
      setSummary({ state: 'loaded', answer });
      if (answer.summary.records === 0 || hasPercentiles(answer.summary)) {
        setLatency({ state: 'loaded', data: null });
        return;
      }
      setLatency({ state: 'loading' });
      const data = await latencyProfile(api, controller.signal);
      setLatency({ state: 'loaded', data });
    } catch (error) {
      if (controller.signal.aborted) return;
      const { code, message } = errorText(error);
      setSummary((current) => (current.state === 'loaded' ? current : { state: 'failed', code, message }));
      setLatency({ state: 'failed', message });
    }
  }, [api]);

  useEffect(() => {
    void load();
    return () => loads.current?.abort();
  }, [load]);

  const records = summary.state === 'loaded' ? summary.answer.summary.records : 0;

  // After deleting, focus moves to the empty state that replaced the dashboard.
  useEffect(() => {
    if (focusEmpty.current && records === 0 && empty.current) {
      focusEmpty.current = false;
      empty.current.focus();
    }
  }, [records]);

  const deleted = useCallback(() => {
    focusEmpty.current = true;
    void load();
  }, [load]);

  return (
    <main id="main" className="page usage-page">
      <h1>Usage</h1>
      <p className="muted">Your product's model calls: import them or generate a synthetic workload, then see what they cost.</p>
      <div className="usage-forms">
        <ImportForm onImported={load} />
        <SyntheticForm onGenerated={load} />
      </div>
      {summary.state === 'loading' && (
        <p className="muted" aria-busy="true">
          Loading your records…
        </p>
      )}
      {summary.state === 'failed' && (
        <div>
          <ErrorAlert code={summary.code} message={`Your records could not be loaded: ${summary.message}`} />
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {summary.state === 'loaded' && records === 0 && (
        <div ref={empty} tabIndex={-1} className="usage-empty" data-testid="usage-empty">
          <h2>No usage records yet</h2>
          <p>Import a file of your model calls or generate a synthetic workload above; the dashboard appears here.</p>
        </div>
      )}
      {summary.state === 'loaded' && records > 0 && (
        <Dashboard answer={summary.answer} latency={latency} actions={<DeleteAllRecords records={records} onDeleted={deleted} />} />
      )}
    </main>
  );
}
