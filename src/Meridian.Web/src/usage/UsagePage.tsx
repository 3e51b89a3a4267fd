/** The usage page (/usage): imports, synthetic workloads and the dashboard. A placeholder until its content
 * lands; see docs/ui.md ("Structure") for the services it can use (useApi, useSession). Chart.js is loaded
 * lazily (`await import('chart.js/auto')`) so it stays out of the first load. */
export default function UsagePage() {
  return (
    <main id="main" className="page">
      <h1>Usage</h1>
      <p>Usage records and their dashboard appear here.</p>
    </main>
  );
}
