// Words for the machine and memory pills in the header. Pure: colour is never the only signal
// (the pressure level is always spelled out) and unknown values are shown as UNKNOWN ("—").
import type { MachineInfo, MemorySample, PressureLevel, ProbeStatus } from '../../../shared/memory.js';
import { formatBytes, formatBytesPair, formatBytesShort, formatDateTime, UNKNOWN } from './format.js';
import type { StatusView, Tone } from './statusView.js';

const PRESSURE: Record<PressureLevel, { word: string; tone: Tone; icon: string }> = {
  normal: { word: 'normal', tone: 'ok', icon: '●' },
  // U+FE0E asks for the text (not emoji) presentation of the warning sign.
  warn: { word: 'warning', tone: 'warn', icon: '⚠\uFE0E' },
  critical: { word: 'critical', tone: 'error', icon: '‼' },
};

/** The number behind the pressure level: macOS "free 62%", Linux "PSI 3.2%"; null when not known. */
export function pressureValueText(sample: Pick<MemorySample, 'pressureValue' | 'pressureSource'>): string | null {
  const { pressureValue: value, pressureSource: source } = sample;
  if (value === null || !Number.isFinite(value) || source === null) return null;
  return source === 'macos' ? `free ${Math.round(value)}%` : `PSI ${value.toFixed(1)}%`;
}

function pressureValueDetail(sample: MemorySample): string | null {
  const value = sample.pressureValue;
  if (value === null || !Number.isFinite(value)) return null;
  switch (sample.pressureSource) {
    case 'macos':
      return `kern.memorystatus_level: ${Math.round(value)}% free (lower is worse)`;
    case 'psi':
      return `/proc/pressure/memory some avg10: stalled ${value.toFixed(1)}% of the time (higher is worse)`;
    case 'cgroup-psi':
      return `cgroup memory.pressure some avg10: stalled ${value.toFixed(1)}% of the time (higher is worse)`;
    default:
      return null;
  }
}

function swapText(sample: MemorySample): string {
  if (sample.swapTotalBytes === 0 && (sample.swapUsedBytes ?? 0) === 0) return 'no swap';
  return `swap ${formatBytes(sample.swapUsedBytes)}`;
}

/** The memory pill: pressure level (as a word) and its number, memory used / total, swap used. */
export function memoryView(sample: MemorySample | null): StatusView {
  if (sample === null) {
    return { tone: 'neutral', icon: '?', text: 'Memory: unknown', title: 'No memory sample received yet.' };
  }
  const level = sample.pressure === null ? null : PRESSURE[sample.pressure];
  const value = pressureValueText(sample);
  const head = level === null ? 'Memory: pressure unknown' : `Memory: ${level.word}${value === null ? '' : ` (${value})`}`;
  const text = [head, `${formatBytesPair(sample.usedBytes, sample.totalBytes)} used`, swapText(sample)].join(' · ');

  const title: string[] = [`Memory pressure: ${level?.word ?? UNKNOWN}`];
  const valueDetail = pressureValueDetail(sample);
  if (valueDetail !== null) title.push(valueDetail);
  title.push(`Used ${formatBytes(sample.usedBytes)} of ${formatBytes(sample.totalBytes)}, available ${formatBytes(sample.availableBytes)}`);
  if (sample.wiredBytes !== null || sample.compressedBytes !== null) {
    title.push(`Wired ${formatBytes(sample.wiredBytes)} · compressed ${formatBytes(sample.compressedBytes)}`);
  }
  title.push(
    sample.swapTotalBytes === 0
      ? 'No swap configured'
      : `Swap used ${formatBytes(sample.swapUsedBytes)} of ${formatBytes(sample.swapTotalBytes)}`,
  );
  const n = sample.ollamaProcesses;
  if (n === 0) title.push('No Ollama process seen');
  else if (sample.ollamaFootprintBytes !== null) {
    const count = n === null ? '' : ` (${n} ${n === 1 ? 'process' : 'processes'})`;
    title.push(`Ollama${count}: ${formatBytes(sample.ollamaFootprintBytes)}`);
  }
  if (sample.gpuUsedBytes !== null || sample.gpuTotalBytes !== null) {
    title.push(`GPU memory used ${formatBytes(sample.gpuUsedBytes)} of ${formatBytes(sample.gpuTotalBytes)}`);
  }
  title.push(`Sampled ${formatDateTime(sample.at)}`);
  return { tone: level?.tone ?? 'neutral', icon: level?.icon ?? '?', text, title: title.join('\n') };
}

const BUDGET_SOURCE: Record<NonNullable<MachineInfo['gpuBudgetSource']>, string> = {
  sysctl: 'iogpu.wired_limit_mb',
  estimate: 'estimated from RAM',
  nvidia: 'NVIDIA',
};

/** The machine pill: chip and memory ("Apple M3 Max · 64 GiB"), plus the first discrete GPU. */
export function machineView(machine: MachineInfo | null): StatusView {
  if (machine === null) return { tone: 'neutral', icon: '▪', text: 'Machine: unknown', title: 'Not read yet.' };
  const parts = [machine.chip ?? machine.arch, machine.memoryBytes === null ? `memory ${UNKNOWN}` : formatBytesShort(machine.memoryBytes)];
  const [gpu, ...moreGpus] = machine.gpus;
  if (!machine.appleSilicon && gpu !== undefined) {
    const memory = gpu.memoryTotalBytes === null ? '' : ` ${formatBytesShort(gpu.memoryTotalBytes)}`;
    parts.push(`${gpu.name}${memory}${moreGpus.length > 0 ? ` +${moreGpus.length}` : ''}`);
  }
  const title = [`${machine.osVersion ?? machine.os} (${machine.arch})`, `Memory ${formatBytes(machine.memoryBytes)}`];
  if (machine.gpuBudgetBytes !== null) {
    const source = machine.gpuBudgetSource === null ? '' : ` (${BUDGET_SOURCE[machine.gpuBudgetSource]})`;
    title.push(`GPU budget ${formatBytes(machine.gpuBudgetBytes)}${source}`);
  }
  for (const g of machine.gpus) title.push(`GPU: ${g.name} · ${formatBytes(g.memoryTotalBytes)}`);
  return { tone: 'neutral', icon: '▪', text: parts.join(' · '), title: title.join('\n') };
}

export interface ProbeNote {
  /** "not available here: nvidia-smi, psi" */
  text: string;
  /** One line per unavailable probe, with the reason when known. */
  title: string;
}

/** A muted note naming the probes that do not work on this machine; null when all do. */
export function probeNote(probes: readonly ProbeStatus[]): ProbeNote | null {
  const missing = probes.filter((p) => !p.available);
  if (missing.length === 0) return null;
  const names = [...new Set(missing.map((p) => p.name))];
  return {
    text: `not available here: ${names.join(', ')}`,
    title: missing.map((p) => (p.detail === null ? p.name : `${p.name}: ${p.detail}`)).join('\n'),
  };
}
