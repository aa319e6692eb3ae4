// Words and figures for a request's memory: the table's Memory column and the detail
// panel. Pure; every state has a text (colour is never the only signal), unknown is "—".
import type { PressureLevel } from '../../../shared/memory.js';
import type { LoadRecord, RequestRecord } from '../../../shared/records.js';
import type { AgentStatus } from '../../../shared/status.js';
import { formatBackend, formatBytes, formatCount, formatDateTime, formatLatency, formatNumber, UNKNOWN } from './format.js';
import type { Tone } from './statusView.js';

/** The agent's default `--context-alert-ratio`, for an agent that does not say its own. */
export const DEFAULT_ALERT_RATIO = 0.85;

export function alertRatio(status: AgentStatus | null): number {
  const r = status?.contextAlertRatio;
  return typeof r === 'number' && r > 0 && r <= 1 ? r : DEFAULT_ALERT_RATIO;
}

/** "85%" of the KV cache, or "—". Rounded down, so a fill shown as 85% has reached 85%. */
export function kvFillText(fill: number | null): string {
  return fill === null ? UNKNOWN : `${Math.floor(fill * 100 + 1e-9)}%`;
}

/** At or past the alert ratio the bar turns to the warning colour (and the text says so). */
export function kvFillTone(fill: number | null, ratio: number): Tone {
  if (fill === null) return 'neutral';
  return fill >= ratio ? 'error' : 'ok';
}

const PRESSURE_WORD: Record<PressureLevel, { word: string; tone: Tone }> = {
  normal: { word: 'normal', tone: 'ok' },
  warn: { word: 'warning', tone: 'warn' },
  critical: { word: 'critical', tone: 'error' },
};

export function pressureDot(level: PressureLevel | null): { word: string; tone: Tone } {
  return level === null ? { word: 'unknown', tone: 'neutral' } : PRESSURE_WORD[level];
}

/** The Memory cell's tooltip and accessible text: every figure in words. */
export function memoryCellText(r: RequestRecord, ratio: number): string {
  const parts = [`model memory ${formatBytes(r.modelMemoryBytes)}`];
  parts.push(
    r.kvFill === null
      ? `KV cache fill ${UNKNOWN}`
      : `KV cache ${kvFillText(r.kvFill)} full (${formatBytes(r.kvUsedBytes)} of ${formatBytes(r.kvBytes)})${r.kvFill >= ratio ? ', at the alert ratio' : ''}`,
  );
  if (r.peakMemoryBytes !== null) parts.push(`peak ${formatBytes(r.peakMemoryBytes)}`);
  parts.push(`memory pressure ${pressureDot(r.memoryPressure).word}`);
  return parts.join(' · ');
}

export interface DetailRow {
  label: string;
  value: string;
  /** For tests and styling: the RequestRecord key it shows. */
  key: string;
}

const yesNo = (v: boolean | null): string => (v === null ? UNKNOWN : v ? 'yes' : 'no');

/** Every field of a request, in words, in the order a person reads them. */
export function requestDetailRows(r: RequestRecord): DetailRow[] {
  return [
    { key: 'at', label: 'Ended', value: formatDateTime(r.at) },
    { key: 'method', label: 'Request', value: `${r.method} ${r.path}` },
    { key: 'status', label: 'Status', value: String(r.status) },
    { key: 'latencyMs', label: 'Latency', value: formatLatency(r.latencyMs) },
    { key: 'client', label: 'Client', value: r.client },
    { key: 'kind', label: 'Kind', value: r.kind },
    { key: 'model', label: 'Model', value: r.model ?? UNKNOWN },
    { key: 'backend', label: 'Backend', value: formatBackend(r.backend) },
    { key: 'source', label: 'Seen by', value: r.source === 'both' ? 'log and proxy' : r.source },
    { key: 'promptTokens', label: 'Prompt tokens', value: formatCount(r.promptTokens) },
    { key: 'completionTokens', label: 'Completion tokens', value: formatCount(r.completionTokens) },
    { key: 'prefillTps', label: 'Prefill tok/s', value: formatNumber(r.prefillTps, 1) },
    { key: 'decodeTps', label: 'Decode tok/s', value: formatNumber(r.decodeTps, 1) },
    {
      key: 'ctxUsed',
      label: 'Context used',
      value: r.ctxUsed === null ? UNKNOWN : `${formatCount(r.ctxUsed)} of ${formatCount(r.ctxLimit)} tokens`,
    },
    { key: 'truncated', label: 'Truncated', value: yesNo(r.truncated) },
    { key: 'peakMemoryBytes', label: 'Peak memory (log)', value: formatBytes(r.peakMemoryBytes) },
    { key: 'modelMemoryBytes', label: 'Model memory', value: formatBytes(r.modelMemoryBytes) },
    { key: 'kvBytes', label: 'KV cache allocated', value: formatBytes(r.kvBytes) },
    { key: 'kvUsedBytes', label: 'KV cache used', value: formatBytes(r.kvUsedBytes) },
    { key: 'kvFill', label: 'KV cache fill', value: kvFillText(r.kvFill) },
    { key: 'memoryUsedBytes', label: 'Machine memory used', value: formatBytes(r.memoryUsedBytes) },
    { key: 'memoryPressure', label: 'Memory pressure', value: pressureDot(r.memoryPressure).word },
    { key: 'swapUsedBytes', label: 'Swap used', value: formatBytes(r.swapUsedBytes) },
    { key: 'ollamaFootprintBytes', label: 'Ollama footprint', value: formatBytes(r.ollamaFootprintBytes) },
  ];
}

/** The load a request ran on, in words. */
export function loadDetailRows(l: LoadRecord): DetailRow[] {
  const layers = l.gpuLayers === null ? UNKNOWN : `${l.gpuLayers} of ${l.totalLayers ?? '?'} on the GPU`;
  return [
    { key: 'model', label: 'Model', value: l.model ?? l.displayName ?? UNKNOWN },
    { key: 'engine', label: 'Engine', value: l.engine ?? UNKNOWN },
    { key: 'backend', label: 'Backend', value: formatBackend(l.backend) },
    { key: 'gpuLayers', label: 'Layers', value: layers },
    { key: 'ctx', label: 'Context per sequence', value: formatCount(l.ctx) },
    { key: 'parallel', label: 'Parallel', value: formatNumber(l.parallel) },
    { key: 'kvBytes', label: 'KV cache (log)', value: formatBytes(l.kvBytes) },
    { key: 'sizeBytes', label: 'Size (/api/ps)', value: formatBytes(l.sizeBytes) },
    { key: 'at', label: 'Loaded', value: l.at === null ? UNKNOWN : formatDateTime(l.at) },
  ];
}

/** ±5 minutes around the request's end: the window of the memory sparkline. */
export const AROUND_MS = 5 * 60_000;

/** A sparkline's points (SVG coordinates) from samples' used memory; null values break nothing, they are skipped. */
export function sparkPoints(
  samples: readonly { at: string; usedBytes: number | null }[],
  from: number,
  to: number,
  width: number,
  height: number,
): { points: string; max: number | null } {
  const xy = samples
    .map((s) => ({ x: Date.parse(s.at), y: s.usedBytes }))
    .filter((p): p is { x: number; y: number } => Number.isFinite(p.x) && p.y !== null && p.x >= from && p.x <= to);
  if (xy.length === 0) return { points: '', max: null };
  const max = Math.max(...xy.map((p) => p.y));
  const scale = max > 0 ? (height - 2) / max : 0;
  const points = xy.map((p) => `${(((p.x - from) / (to - from)) * width).toFixed(1)},${(height - 1 - p.y * scale).toFixed(1)}`).join(' ');
  return { points, max };
}
