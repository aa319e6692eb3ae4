// Display helpers used by the dashboard (and the CLI report later): unknown is shown as "—".
export const UNKNOWN = '—';

export function formatLatency(ms: number | null): string {
  if (ms === null) return UNKNOWN;
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${Math.round(s - m * 60)}s`;
  return `${Math.floor(m / 60)}h${m % 60}m`;
}

export function formatNumber(n: number | null, digits = 0): string {
  return n === null ? UNKNOWN : n.toFixed(digits);
}

const BACKEND_LABELS: Record<string, string> = {
  mlx: 'MLX', metal: 'Metal', cuda: 'CUDA', rocm: 'ROCm', vulkan: 'Vulkan', cpu: 'CPU', unknown: 'unknown',
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
