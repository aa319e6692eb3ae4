// The memory chart: memory and swap in bytes on the left axis; the pressure level and incidents on
// the right one, so a slowdown can be read against the memory state that came with it.
import type { MemorySample, PressureLevel } from '../../../../shared/memory.js';
import type { IncidentRecord } from '../../../../shared/records.js';
import { formatBytes } from '../format.js';
import { chartX, line, styleAt, type LineSeries, type XY } from './lineSeries.js';
import type { Theme } from './theme.js';

const PRESSURE_LEVEL: Record<PressureLevel, number> = { normal: 0, warn: 1, critical: 2 };
export const PRESSURE_TICKS: Record<number, string> = { 0: 'normal', 1: 'warning', 2: 'critical', 3: 'incident' };
/** Incidents are drawn on the pressure axis, above "critical". */
export const INCIDENT_Y = 3;

export function incidentNote(incident: Pick<IncidentRecord, 'kind' | 'model' | 'detail'>): string {
  return `${incident.kind}${incident.model === null ? '' : ` · ${incident.model}`}`;
}

/** Memory used, total, swap used (left axis, bytes), pressure level and incidents (right axis). */
export function memoryLines(samples: readonly MemorySample[], incidents: readonly IncidentRecord[], theme: Theme): LineSeries[] {
  const used: XY[] = [];
  const total: XY[] = [];
  const swap: XY[] = [];
  const pressure: XY[] = [];
  for (const s of samples) {
    const x = chartX(s.at);
    if (x === null) continue;
    used.push({ x, y: s.usedBytes });
    total.push({ x, y: s.totalBytes });
    swap.push({ x, y: s.swapUsedBytes });
    pressure.push({ x, y: s.pressure === null ? null : PRESSURE_LEVEL[s.pressure] });
  }
  const marks: XY[] = [];
  for (const incident of incidents) {
    const x = chartX(incident.at);
    if (x !== null) marks.push({ x, y: INCIDENT_Y, note: incidentNote(incident) });
  }
  marks.sort((a, b) => a.x - b.x);
  return [
    line({ key: 'used', label: 'memory used', data: used, color: theme.accent, ...styleAt(0), pointRadius: 0 }),
    line({ key: 'total', label: 'memory total', data: total, color: theme.muted, pointStyle: 'line', dash: [2, 3], pointRadius: 0 }),
    line({ key: 'swap', label: 'swap used', data: swap, color: theme.backends.vulkan!, ...styleAt(1), pointRadius: 0 }),
    line({
      key: 'pressure',
      label: 'pressure level',
      data: pressure,
      color: theme.warn,
      ...styleAt(3),
      axis: 'y2',
      stepped: true,
      pointRadius: 0,
    }),
    line({
      key: 'incidents',
      label: 'incidents',
      data: marks,
      color: theme.error,
      pointStyle: 'triangle',
      axis: 'y2',
      showLine: false,
      pointRadius: 6,
    }),
  ];
}

export function memorySummary(range: string, samples: readonly MemorySample[], incidents: readonly IncidentRecord[]): string {
  const known = samples.filter((s) => s.usedBytes !== null);
  const last = known.at(-1) ?? null;
  if (last === null) return `memory, ${range}: no samples${incidents.length > 0 ? `; ${incidentCount(incidents)}` : ''}`;
  const peak = Math.max(...known.map((s) => s.usedBytes!));
  const swap = samples.findLast((s) => s.swapUsedBytes !== null)?.swapUsedBytes ?? null;
  const pressure = samples.findLast((s) => s.pressure !== null)?.pressure ?? null;
  const worst = samples.reduce<PressureLevel | null>(
    (w, s) => (s.pressure !== null && (w === null || PRESSURE_LEVEL[s.pressure] > PRESSURE_LEVEL[w]) ? s.pressure : w),
    null,
  );
  const of = last.totalBytes === null ? '' : ` of ${formatBytes(last.totalBytes)}`;
  const pressureText =
    pressure === null ? 'pressure unknown' : `pressure ${pressure}${worst !== null && worst !== pressure ? ` (worst ${worst})` : ''}`;
  return `memory, ${range}: ${formatBytes(last.usedBytes)} used${of} (peak ${formatBytes(peak)}), swap ${formatBytes(swap)}, ${pressureText}; ${incidentCount(incidents)}`;
}

function incidentCount(incidents: readonly IncidentRecord[]): string {
  if (incidents.length === 0) return 'no incidents';
  const kinds = [...new Set(incidents.map((i) => i.kind))];
  return `${incidents.length} ${incidents.length === 1 ? 'incident' : 'incidents'} (${kinds.join(', ')})`;
}
