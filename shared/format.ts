// The one number format of the dashboard and the CLI report: grouping, units, durations. Unknown is "—".
export const UNKNOWN = '—';

/** Group digits of a whole number: 12345 → "12,345" (a plain comma, whatever the browser's locale). */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A duration for people: "850 µs", "4.2 ms", "312 ms", "1.00 s", "32.6 s", "2m00s", "1h05m". Each
 * unit is chosen after rounding, so a value never prints as the next unit's limit ("1000 ms",
 * "60.0 s", "1m60s", "1h60m").
 */
export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return UNKNOWN;
  if (ms < 0) return `-${formatLatency(-ms)}`;
  const us = Math.round(ms * 1000);
  if (us < 1000) return `${us} µs`;
  if (Number(ms.toFixed(1)) < 10) return `${ms.toFixed(1)} ms`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (Number(s.toFixed(2)) < 10) return `${s.toFixed(2)} s`;
  if (Number(s.toFixed(1)) < 60) return `${s.toFixed(1)} s`;
  const wholeSeconds = Math.round(s);
  if (wholeSeconds < 3600) return `${Math.floor(wholeSeconds / 60)}m${String(wholeSeconds % 60).padStart(2, '0')}s`;
  const wholeMinutes = Math.round(s / 60);
  return `${Math.floor(wholeMinutes / 60)}h${String(wholeMinutes % 60).padStart(2, '0')}m`;
}

/** A number with `digits` decimals and grouped thousands: 12345.6 → "12,345.6"; null → "—". */
export function formatNumber(n: number | null, digits = 0): string {
  if (n === null || !Number.isFinite(n)) return UNKNOWN;
  const [whole, fraction] = Math.abs(n).toFixed(digits).split('.') as [string, string | undefined];
  const sign = n < 0 && Number(Math.abs(n).toFixed(digits)) !== 0 ? '-' : '';
  return `${sign}${group(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** A count (tokens, requests): whole and grouped, "131,072"; null → "—". */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? UNKNOWN : formatNumber(n, 0);
}

/** A rate (tok/s, requests/min): one decimal below 10, whole and grouped above; null → "—". */
export function formatRate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNKNOWN;
  if (n === 0) return '0';
  return Math.abs(Number(n.toFixed(1))) < 10 ? n.toFixed(1) : formatNumber(n, 0);
}

/** A large count in short form, for labels that must stay small (parameter sizes): "7.6B", "1.2M". */
export function formatCompact(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return UNKNOWN;
  if (Math.abs(Math.round(n)) < 1e6) return formatCount(n);
  const [value, suffix] = Math.abs(n) < 999.95e6 ? [n / 1e6, 'M'] : [n / 1e9, 'B'];
  return `${value.toFixed(1).replace(/\.0$/, '')}${suffix}`;
}

const BACKEND_LABELS: Record<string, string> = {
  mlx: 'MLX',
  metal: 'Metal',
  cuda: 'CUDA',
  rocm: 'ROCm',
  vulkan: 'Vulkan',
  cpu: 'CPU',
  unknown: 'unknown',
};

export function formatBackend(backend: string | null): string {
  return backend === null ? UNKNOWN : (BACKEND_LABELS[backend] ?? backend);
}

/** Bytes in IEC units (B, KiB, MiB, GiB, TiB), as Ollama and llama.cpp print them. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return UNKNOWN;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
