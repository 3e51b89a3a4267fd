import type { ChartSeries } from './dashboardData';

/** What a bar chart shows, independent of Chart.js (ChartCanvas turns it into a Chart.js configuration). */
export interface ChartSpec {
  labels: string[];
  series: ChartSeries[];
  stacked?: boolean;
  /** Bars run left to right, one row per label (long labels such as feature names read better). */
  horizontal?: boolean;
  /** One colour per bar rather than per series (a single series whose bars are different things). */
  colorEachBar?: boolean;
  /** Writes a value for the tooltips (and the axis, unless `axisFormat` is given). */
  format: (value: number) => string;
  /** A shorter form for the value axis's ticks. */
  axisFormat?: (value: number) => string;
}

/** The table beside a chart: the same figures, as text. */
export interface TableSpec {
  /** Header of the first column (the row labels). */
  rowHeader: string;
  columns: string[];
  rows: { label: string; cells: string[] }[];
}
