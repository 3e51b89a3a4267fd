// Chart colours come from the page's CSS variables (styles/theme.css, and the series colours in chart.css), read when
// a chart is drawn, so charts follow the light and dark themes like the rest of the page.

export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  font: string;
  series: string[];
}

export const SERIES_COUNT = 8;

export function readChartTheme(element: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#17202b'),
    muted: read('--muted', '#4a5565'),
    grid: read('--border', '#c9d0da'),
    surface: read('--surface', '#ffffff'),
    font: read('--font', 'system-ui, sans-serif'),
    series: Array.from({ length: SERIES_COUNT }, (_, i) => read(`--series-${i + 1}`, '#1f5fbf')),
  };
}

/** Calls `onChange` when the system switches between light and dark; returns the unsubscribe function. */
export function onThemeChange(onChange: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => undefined;
  const query = matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
