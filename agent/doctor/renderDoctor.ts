// The human form of `doctor`: one line per check (✓ passed, ✗ failed and makes doctor exit 1,
// ! failed but only worth knowing) with the fix indented under each failure, then the machine, memory,
// MLX eligibility, local models and the KV sizing of what is loaded. Unknowns print as "unknown".
import { formatBytes } from '../../shared/format.js';
import type { DoctorCheck, DoctorReport } from './types.js';

const UNKNOWN = 'unknown';
const bytes = (n: number | null): string => (n === null ? UNKNOWN : formatBytes(n));
const count = (n: number | null): string => (n === null ? UNKNOWN : Math.round(n).toLocaleString('en-US'));
const text = (s: string | null): string => s ?? UNKNOWN;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
  );
}

export const checkMark = (c: DoctorCheck): string => (c.ok ? '✓' : c.severity === 'error' ? '✗' : '!');

function checkLines(c: DoctorCheck): string[] {
  const lines = [`  ${checkMark(c)} ${c.title}: ${c.detail}`];
  if (!c.ok && c.fix) {
    const [first, ...more] = c.fix.split('\n');
    lines.push(`      fix: ${first}`, ...more.map((l) => `           ${l}`));
  }
  return lines;
}

const OS_NAMES: Record<string, string> = { darwin: 'macOS', linux: 'Linux', win32: 'Windows' };

function machine(r: DoctorReport): string[] {
  const m = r.machine;
  const s = r.memory;
  const os = m.osVersion ?? OS_NAMES[m.os] ?? m.os;
  const kind = m.appleSilicon === true ? ' (Apple Silicon)' : '';
  return [
    'Machine',
    `  OS:         ${os}${m.arch ? `, ${m.arch}` : ''}`,
    `  Chip:       ${text(m.chip)}${kind}`,
    `  Memory:     ${bytes(m.memoryBytes)}${m.gpuBudgetBytes !== null ? ` (GPU budget ${formatBytes(m.gpuBudgetBytes)})` : ''}`,
    `  Pressure:   ${text(s.pressure)}`,
    `  Available:  ${bytes(s.availableBytes)}   swap used: ${bytes(s.swapUsedBytes)}`,
  ];
}

function mlx(r: DoctorReport): string[] {
  const head = r.mlx.eligible === true ? 'eligible' : r.mlx.eligible === false ? 'not eligible' : UNKNOWN;
  return [
    `MLX: ${head}`,
    ...r.mlx.reasons.map((x) => `  - ${x}`),
    ...(r.mlx.models && r.mlx.models.length > 0 ? [`  MLX builds pulled: ${r.mlx.models.join(', ')}`] : []),
  ];
}

function models(r: DoctorReport): string[] {
  if (r.models === null) return ['Models: unknown (Ollama did not answer)'];
  if (r.models.length === 0) return ['Models: none pulled (`ollama pull MODEL`)'];
  const rows = [['name', 'format', 'engine', 'params', 'quant', 'size']];
  for (const x of r.models) {
    rows.push([
      x.name,
      text(x.format),
      x.mlx ? 'MLX' : x.format === 'gguf' ? 'llama.cpp' : UNKNOWN,
      text(x.parameterSize),
      text(x.quantization),
      bytes(x.sizeBytes),
    ]);
  }
  return [`Models (${r.models.length})`, ...table(rows)];
}

function loaded(r: DoctorReport): string[] {
  if (r.loaded === null) return ['Loaded: unknown (Ollama did not answer)'];
  if (r.loaded.length === 0) return ['Loaded: no model is loaded right now'];
  const rows = [['name', 'engine', 'ctx', 'KV/token', 'KV cache', 'free now', 'more tokens']];
  for (const l of r.loaded) {
    const ctx = l.ctx === null ? UNKNOWN : `${count(l.ctx)}${l.parallel !== null && l.parallel > 1 ? ` ×${l.parallel}` : ''}`;
    rows.push([
      l.name,
      l.mlx ? 'MLX' : l.format === 'gguf' ? 'llama.cpp' : UNKNOWN,
      ctx,
      bytes(l.bytesPerToken),
      bytes(l.kvBytes),
      bytes(l.freeBytes),
      count(l.moreTokens),
    ]);
  }
  const k = r.kvSettings;
  const seqs = k.parallel === null ? 'parallel sequences unknown' : `${k.parallel} sequence${k.parallel === 1 ? '' : 's'} per model`;
  const from =
    k.from === 'server config'
      ? "from the log's server config"
      : k.from === 'environment'
        ? "from this shell's OLLAMA_* variables"
        : "Ollama's defaults";
  return [
    `Loaded (${r.loaded.length}) — KV cache ${k.cacheType}, ${seqs} (${from})`,
    ...table(rows),
    '  "more tokens": how many more tokens of context the memory available now would hold.',
    ...(r.loaded.some((l) => l.mlx)
      ? ['  MLX grows its KV cache with the conversation: "KV cache" is what the whole context would take.']
      : []),
  ];
}

export function renderDoctor(r: DoctorReport): string {
  const failed = r.checks.filter((c) => !c.ok);
  const errors = failed.filter((c) => c.severity === 'error');
  const verdict =
    errors.length > 0
      ? `✗ ${errors.length} check${errors.length === 1 ? '' : 's'} failed: ollama-lens cannot do its job until fixed (exit code 1).`
      : failed.length > 0
        ? `✓ Ready to monitor; ${failed.length} note${failed.length === 1 ? '' : 's'} above (exit code 0).`
        : '✓ All checks passed (exit code 0).';
  return [
    'ollama-lens doctor',
    '',
    'Checks',
    ...r.checks.flatMap(checkLines),
    '',
    ...machine(r),
    '',
    ...mlx(r),
    '',
    ...models(r),
    '',
    ...loaded(r),
    '',
    verdict,
  ].join('\n');
}
