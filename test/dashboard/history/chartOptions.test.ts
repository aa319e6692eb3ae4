// The y axis of a history chart: no tick labels on an empty chart (Chart.js's default 0–1 scale would
// print "1, 1, 1, 0, 0, 0" in whole numbers), whole-number ticks on a token axis.
import { describe, expect, it } from 'vitest';
import { chartOptions, type AxisSpec } from '../../../dashboard/src/lib/history/chart.js';
import type { LineSeries } from '../../../dashboard/src/lib/history/lineSeries.js';
import { readTheme } from '../../../dashboard/src/lib/history/theme.js';

const theme = readTheme(() => '');
const axes: AxisSpec = { yTitle: 'tokens', yFormat: (v) => String(Math.round(v)), integer: true };
const window = { from: 0, to: 3_600_000 };
const line = (ys: number[]): LineSeries => ({
  key: 'x',
  label: 'x',
  color: '#000',
  pointStyle: 'circle',
  dash: [],
  axis: 'y',
  showLine: true,
  stepped: false,
  pointRadius: 2,
  data: ys.map((y, i) => ({ x: i * 60_000, y })),
});

describe('chartOptions y axis', () => {
  it('shows no tick labels when the chart is empty', () => {
    const y = chartOptions(window, axes, theme, []).scales!.y as { ticks: { display: boolean } };
    expect(y.ticks.display).toBe(false);
  });
  it('shows whole-number ticks once there is data', () => {
    const y = chartOptions(window, axes, theme, [line([3, 5])]).scales!.y as { ticks: { display: boolean; precision?: number } };
    expect(y.ticks.display).toBe(true);
    expect(y.ticks.precision).toBe(0);
  });
});
