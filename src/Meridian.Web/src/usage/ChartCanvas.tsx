import { useEffect, useRef, useState } from 'react';
import type { Chart, ChartConfiguration } from 'chart.js';
import type { ChartSpec } from './chartSpec';
import { onThemeChange, readChartTheme, type ChartTheme } from './chartTheme';

interface Props {
  spec: ChartSpec;
  /** The canvas's accessible name; the table beside it holds the figures. */
  label: string;
}

/** Height of a horizontal chart: room for each label's bars. */
const rowHeight = (spec: ChartSpec) => (spec.horizontal ? Math.max(160, spec.labels.length * Math.max(30, spec.series.length * 14 + 10) + 80) : null);

/**
 * A Chart.js bar chart of `spec`. Chart.js is imported on first use (its own chunk, out of the first load); the
 * chart is redrawn when the spec or the colour scheme changes, and resizes with its box (responsive).
 */
export function ChartCanvas({ spec, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [themeVersion, setThemeVersion] = useState(0);
  const [failed, setFailed] = useState(false);

  useEffect(() => onThemeChange(() => setThemeVersion((v) => v + 1)), []);

  useEffect(() => {
    let chart: Chart | null = null;
    let cancelled = false;
    const height = rowHeight(spec);
    if (box.current && height !== null) box.current.style.height = `${height}px`;
    import('chart.js/auto')
      .then(({ Chart }) => {
        if (cancelled || !canvas.current) return;
        const theme = readChartTheme();
        Chart.defaults.font.family = theme.font;
        chart = new Chart(canvas.current, configure(spec, theme));
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [spec, themeVersion]);

  return (
    <>
      <div ref={box} className="chart-box">
        <canvas ref={canvas} role="img" aria-label={label} />
      </div>
      {failed && <p className="hint">The chart could not be drawn; the table has the same figures.</p>}
    </>
  );
}

function configure(spec: ChartSpec, theme: ChartTheme): ChartConfiguration<'bar'> {
  const valueAxis = {
    stacked: spec.stacked,
    beginAtZero: true,
    ticks: { color: theme.muted, callback: (value: number | string) => (spec.axisFormat ?? spec.format)(Number(value)) },
    grid: { color: theme.grid },
  };
  const labelAxis = { stacked: spec.stacked, ticks: { color: theme.muted, autoSkip: true }, grid: { display: false } };
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: spec.colorEachBar ? spec.labels.map((_, j) => theme.series[j % theme.series.length]) : theme.series[i % theme.series.length],
        borderColor: theme.surface,
        borderWidth: spec.stacked ? 1 : 0,
      })),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      color: theme.text,
      scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.series.length > 1, position: 'bottom', labels: { color: theme.text, boxWidth: 14 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${spec.format(Number(item.raw))}` } },
      },
    },
  };
}
