// Every chart's textual equivalent, for screen readers and for reading exact values.
import { UNKNOWN } from '../format.js';
import type { LineSeries, XY } from './lineSeries.js';

export interface DataTable {
  columns: string[];
  rows: string[][];
  /** Rows left out (the table keeps the newest). */
  omitted: number;
}

/** A textual equivalent: one row per time, one column per series (newest `maxRows` times). */
export function dataTable(
  lines: readonly LineSeries[],
  formatX: (ms: number) => string,
  formatY: (line: LineSeries, y: number) => string,
  maxRows = 120,
): DataTable {
  const xs = new Set<number>();
  const byLine = lines.map((l) => {
    const m = new Map<number, XY>();
    for (const p of l.data) {
      xs.add(p.x);
      m.set(p.x, p);
    }
    return m;
  });
  const sorted = [...xs].sort((a, b) => b - a);
  const kept = sorted.slice(0, maxRows);
  return {
    columns: ['time', ...lines.map((l) => l.label)],
    rows: kept.map((x) => [
      formatX(x),
      ...lines.map((l, i) => {
        const p = byLine[i]!.get(x);
        if (p === undefined || p.y === null) return UNKNOWN;
        return p.note !== undefined && l.key === 'incidents' ? p.note : formatY(l, p.y);
      }),
    ]),
    omitted: sorted.length - kept.length,
  };
}
