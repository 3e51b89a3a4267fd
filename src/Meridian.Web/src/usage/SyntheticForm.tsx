import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApi, useServices } from '../app/ServicesContext';
import { errorText } from '../app/errorText';
import { ErrorAlert } from '../shell/ErrorAlert';
import { Checkbox } from './Checkbox';
import { count } from './formatFigures';
import { PROFILES } from './syntheticProfiles';
import { generateSynthetic } from './workloadApi';
import type { SyntheticProfile } from './workloadTypes';

type Result = { ok: true; message: string } | { ok: false; code: string; message: string };

/** Generates a synthetic workload (POST /api/workloads/synthetic), which replaces the records unless asked not to. */
export function SyntheticForm({ onGenerated }: { onGenerated: () => void }) {
  const api = useApi();
  const { notices } = useServices();
  const resultBox = useRef<HTMLDivElement>(null);
  const [profile, setProfile] = useState<SyntheticProfile>('chatbot');
  const [days, setDays] = useState('30');
  const [callsPerDay, setCallsPerDay] = useState(String(PROFILES[0].callsPerDay));
  const [seed, setSeed] = useState('');
  const [keep, setKeep] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  useEffect(() => {
    if (result) resultBox.current?.focus();
  }, [result]);

  function chooseProfile(id: SyntheticProfile) {
    setProfile(id);
    setCallsPerDay(String(PROFILES.find((p) => p.id === id)?.callsPerDay ?? 1000));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    notices.announce('Generating a synthetic workload');
    try {
      const answer = await generateSynthetic(api, {
        profile,
        days: Number(days),
        calls_per_day: Number(callsPerDay),
        seed: seed.trim() === '' ? undefined : Number(seed),
        replace: !keep,
      });
      const message = `Generated ${count(answer.generated)} records from ${answer.start_date} to ${answer.end_date} (seed ${answer.seed})${answer.replaced ? ', replacing your earlier records' : ''}.`;
      setResult({ ok: true, message });
      notices.announce(message);
      onGenerated();
    } catch (error) {
      const { code, message } = errorText(error);
      setResult({ ok: false, code, message });
      notices.announce(`Generating failed: ${message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="usage-panel" aria-labelledby="synthetic-heading">
      <h2 id="synthetic-heading">Synthetic workload</h2>
      <p className="hint">Realistic records to try Meridian without your own data.</p>
      <form onSubmit={submit} aria-busy={busy}>
        <div className="field">
          <label htmlFor="synthetic-profile">Profile</label>
          <select id="synthetic-profile" value={profile} onChange={(e) => chooseProfile(e.target.value as SyntheticProfile)} disabled={busy}>
            {PROFILES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="synthetic-days">Days</label>
            <input id="synthetic-days" type="number" inputMode="numeric" min={1} max={366} step={1} required value={days} onChange={(e) => setDays(e.target.value)} disabled={busy} />
          </div>
          <div className="field">
            <label htmlFor="synthetic-calls">Requests per day</label>
            <input id="synthetic-calls" type="number" inputMode="numeric" min={1} step={1} required value={callsPerDay} onChange={(e) => setCallsPerDay(e.target.value)} disabled={busy} />
          </div>
          <div className="field">
            <label htmlFor="synthetic-seed">Seed (optional)</label>
            <input id="synthetic-seed" type="number" inputMode="numeric" step={1} value={seed} onChange={(e) => setSeed(e.target.value)} aria-describedby="synthetic-seed-hint" disabled={busy} />
          </div>
        </div>
        <p id="synthetic-seed-hint" className="hint">
          The same seed gives the same records; the workload ends yesterday (UTC).
        </p>
        <Checkbox id="synthetic-keep" label="Keep my current records" checked={keep} onChange={setKeep} disabled={busy} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Generate synthetic workload
          </button>
          {busy && <span className="hint">Generating…</span>}
        </div>
      </form>
      {result && (
        <div ref={resultBox} tabIndex={-1} className="import-outcome" data-testid="synthetic-result">
          {result.ok ? <p className="import-result">{result.message}</p> : <ErrorAlert code={result.code} message={result.message} />}
        </div>
      )}
    </section>
  );
}
