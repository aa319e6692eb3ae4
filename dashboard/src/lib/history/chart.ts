// Chart.js, tree-shaken: only the line controller (scatter is a line without lines), its elements,
// the linear scale (x is epoch ms: no date adapter), the tooltip and the legend are registered.
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
  type Plugin,
  type TooltipItem,
} from 'chart.js';
import { formatDateTime } from '../format.js';
import type { LineSeries, XY } from './lineSeries.js';
import type { Theme } from './theme.js';
import { tickStepMs, timeTickFormatter } from './ticks.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

export type HistoryChart = Chart<'line', XY[]>;
type Dataset = ChartDataset<'line', XY[]>;

export interface AxisSpec {
  /** Left axis label and value format. */
  yTitle: string;
  yFormat: (v: number) => string;
  /** A tick step for the left axis given its largest value (Chart.js picks one otherwise). */
  yStep?: (max: number) => number | undefined;
  /** Whole numbers only (token counts): no fractional ticks that would print as repeated integers. */
  integer?: boolean;
  /** An optional right axis with named ticks (the pressure level). */
  y2?: { title: string; min: number; max: number; ticks: Record<number, string> };
}

/** Series flagged as markers get a vertical line through the plot at each point. */
export const MARKER_KEYS = new Set(['incidents']);

const markerPlugin: Plugin<'line'> = {
  id: 'historyMarkers',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea } = chart;
    chart.data.datasets.forEach((dataset, i) => {
      if (!MARKER_KEYS.has((dataset as Dataset & { key?: string }).key ?? '') || !chart.isDatasetVisible(i)) return;
      const meta = chart.getDatasetMeta(i);
      ctx.save();
      // applySeries sets a colour string; anything else keeps the canvas's stroke.
      if (typeof dataset.borderColor === 'string') ctx.strokeStyle = dataset.borderColor;
      ctx.globalAlpha = 0.6;
      ctx.lineWidth = 1;
      ctx.setLineDash([3, 3]);
      for (const element of meta.data) {
        if (element.x < chartArea.left || element.x > chartArea.right) continue;
        ctx.beginPath();
        ctx.moveTo(element.x, chartArea.top);
        ctx.lineTo(element.x, chartArea.bottom);
        ctx.stroke();
      }
      ctx.restore();
    });
  },
};

/**
 * Points on a dense line would merge into a thick band; keep about 24 markers along it so its
 * point style (a signal besides colour) still shows. Lines without markers and scatters are as given.
 */
export function markerRadius(
  line: Pick<LineSeries, 'pointRadius' | 'showLine' | 'data'>,
): number | ((ctx: { dataIndex: number }) => number) {
  const every = Math.ceil(line.data.length / 24);
  if (line.pointRadius === 0 || !line.showLine || every <= 1) return line.pointRadius;
  const radius = line.pointRadius + 1;
  return (ctx) => (ctx.dataIndex % every === 0 ? radius : 0);
}

/** Copy one series into a (new or existing) Chart.js dataset, in place. */
export function applySeries(line: LineSeries, target: Dataset = { data: [] }): Dataset {
  Object.assign(target, {
    key: line.key,
    label: line.label,
    data: line.data,
    borderColor: line.color,
    backgroundColor: line.color,
    pointStyle: line.pointStyle,
    borderDash: line.dash,
    yAxisID: line.axis,
    showLine: line.showLine,
    stepped: line.stepped ? 'before' : false,
    pointRadius: markerRadius(line),
    pointHoverRadius: Math.max(4, line.pointRadius + 2),
    pointHitRadius: 6,
    borderWidth: line.key === 'limit' ? 2 : 1.75,
    spanGaps: false,
    tension: 0,
    // Points at the window's edge (the newest request) are drawn whole, not cut in half.
    clip: 8,
  });
  return target;
}

function scaleColours(theme: Theme) {
  return { ticks: { color: theme.muted }, grid: { color: theme.grid }, border: { color: theme.grid }, title: { color: theme.muted } };
}

/** Axes, legend and tooltip, for the window and the theme (called at creation and on change). */
export function chartOptions(
  window: { from: number; to: number },
  axes: AxisSpec,
  theme: Theme,
  lines: readonly LineSeries[] = [],
): NonNullable<ChartConfiguration<'line', XY[]>['options']> {
  const span = Math.max(1, window.to - window.from);
  const tick = timeTickFormatter(span, window.from);
  const colours = scaleColours(theme);
  const y2 = axes.y2;
  let yMax = 0;
  for (const line of lines) if (line.axis === 'y') for (const p of line.data) if (p.y !== null && p.y > yMax) yMax = p.y;
  const yStep = axes.yStep?.(yMax);
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    normalized: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    scales: {
      x: {
        type: 'linear',
        min: window.from,
        max: window.to,
        ticks: {
          ...colours.ticks,
          stepSize: tickStepMs(span),
          includeBounds: false,
          maxRotation: 0,
          autoSkip: true,
          callback: (v, i, all) => tick(Number(v), i > 0 ? Number(all[i - 1]!.value) : null),
        },
        grid: colours.grid,
        border: colours.border,
      },
      y: {
        type: 'linear',
        beginAtZero: true,
        title: { display: true, text: axes.yTitle, ...colours.title },
        // An empty chart has no scale to show: Chart.js's default 0–1 would read "1, 1, 1, 0, 0, 0" in whole numbers.
        ticks: {
          ...colours.ticks,
          display: yMax > 0,
          maxTicksLimit: 7,
          ...(yStep === undefined ? {} : { stepSize: yStep }),
          ...(axes.integer ? { precision: 0 } : {}),
          callback: (v) => axes.yFormat(Number(v)),
        },
        grid: colours.grid,
        border: colours.border,
      },
      ...(y2 === undefined
        ? {}
        : {
            y2: {
              type: 'linear' as const,
              position: 'right' as const,
              min: y2.min,
              max: y2.max,
              title: { display: true, text: y2.title, ...colours.title },
              ticks: { ...colours.ticks, stepSize: 1, callback: (v: number | string) => y2.ticks[Number(v)] ?? '' },
              grid: { drawOnChartArea: false },
              border: colours.border,
            },
          }),
    },
    plugins: {
      legend: { position: 'bottom', labels: { color: theme.text, usePointStyle: true, boxHeight: 8, padding: 12 } },
      tooltip: {
        backgroundColor: theme.surface,
        titleColor: theme.text,
        bodyColor: theme.text,
        borderColor: theme.grid,
        borderWidth: 1,
        usePointStyle: true,
        callbacks: {
          title: (items: TooltipItem<'line'>[]) =>
            items[0] === undefined ? '' : formatDateTime(new Date(items[0].parsed.x ?? 0).toISOString()),
          label: (item: TooltipItem<'line'>) => {
            const raw = item.raw as XY;
            const dataset = item.dataset as Dataset & { key?: string };
            if (dataset.key !== undefined && MARKER_KEYS.has(dataset.key)) return `incident: ${raw.note ?? ''}`;
            const y = item.parsed.y;
            const value =
              y === null || y === undefined
                ? '—'
                : dataset.yAxisID === 'y2' && y2 !== undefined
                  ? (y2.ticks[y] ?? String(y))
                  : axes.yFormat(y);
            return `${dataset.label ?? ''}: ${value}${raw.note === undefined ? '' : ` (${raw.note})`}`;
          },
        },
      },
    },
  };
}

export function createChart(
  canvas: HTMLCanvasElement,
  lines: readonly LineSeries[],
  window: { from: number; to: number },
  axes: AxisSpec,
  theme: Theme,
): HistoryChart {
  return new Chart<'line', XY[]>(canvas, {
    type: 'line',
    data: { datasets: lines.map((l) => applySeries(l)) },
    options: chartOptions(window, axes, theme, lines),
    plugins: [markerPlugin],
  });
}

/** Update in place: datasets are reused (data arrays swapped), options rebuilt, no animation. */
export function updateChart(
  chart: HistoryChart,
  lines: readonly LineSeries[],
  window: { from: number; to: number },
  axes: AxisSpec,
  theme: Theme,
): void {
  const datasets = chart.data.datasets;
  lines.forEach((line, i) => {
    const existing = datasets[i];
    if (existing === undefined) datasets.push(applySeries(line));
    else applySeries(line, existing);
  });
  datasets.length = lines.length;
  chart.options = chartOptions(window, axes, theme, lines);
  chart.update('none');
}
