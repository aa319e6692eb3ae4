// doctor's MLX verdict: whether Ollama's MLX engine can serve on this machine (Apple Silicon, 32 GB,
// an Ollama that has it, an MLX build pulled, memory to spare), why not, and whether the models
// --expect-mlx names are MLX builds.
import { mlxMatcher } from '../correlate/options.js';
import { cap, gib, osName } from './wording.js';
import type { DoctorCheck, DoctorFacts } from './types.js';

const GIB = 2 ** 30;

/** The MLX preview requires a Mac with at least 32 GB of unified memory (`hw.memsize` 34,359,738,368 B). */
export const MLX_MIN_MEMORY_BYTES = 32 * GIB;

/** The first Ollama release with the MLX engine (preview, March 2026). */
export const MLX_MIN_OLLAMA_VERSION = '0.19.0';

/** `/api/tags` `details.format`: Ollama serves safetensors models with its MLX runner, GGUF with llama.cpp. */
export const isMlxFormat = (format: string | null): boolean => format?.toLowerCase() === 'safetensors';

export const MLX_PULL_HINT =
  'pull an MLX build of a model: its tag names an MLX quantisation, e.g. `ollama pull qwen3.5:35b-a3b-coding-nvfp4` ' +
  '(tags ending in -nvfp4, -mxfp8 or -mlx are safetensors/MLX builds; `ollama show MODEL` prints its format)';

/** `0.19.0-rc1` → [0, 19, 0]; null for anything else (dev builds say 0.0.0: unknown too). */
function versionParts(v: string | null): [number, number, number] | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v ?? '');
  if (!m) return null;
  const parts: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return parts.every((p) => p === 0) ? null : parts;
}

export function versionBefore(v: string | null, min: string): boolean | null {
  const a = versionParts(v);
  const b = versionParts(min)!;
  if (!a) return null;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

export interface MlxReason {
  /** `no`: MLX will not serve; `unknown`: cannot be told. */
  kind: 'no' | 'unknown';
  reason: string;
  fix: string;
}

export function mlxReasons(facts: DoctorFacts): MlxReason[] {
  const m = facts.machine;
  const os = m?.os ?? facts.platform;
  const r: MlxReason[] = [];
  const monitorAnyway = 'nothing to change for monitoring: models run on llama.cpp here, and ollama-lens watches them the same way';
  if (os !== 'darwin') {
    return [
      {
        kind: 'no',
        reason: `the MLX preview runs on Apple Silicon Macs only; this machine runs ${osName(os)}`,
        fix: `${cap(monitorAnyway)}.`,
      },
    ];
  }
  if (!m)
    return [{ kind: 'unknown', reason: 'the chip and memory size are unknown (machine probe failed)', fix: 'See the Machine check.' }];
  if (!m.appleSilicon) {
    return [
      {
        kind: 'no',
        reason: `this is an Intel Mac (${m.chip ?? 'chip unknown'}); MLX needs Apple Silicon (M1 or later)`,
        fix: `${cap(monitorAnyway)} (Metal or CPU).`,
      },
    ];
  }
  if (m.memoryBytes === null) {
    r.push({
      kind: 'unknown',
      reason: 'the unified memory size is unknown (`sysctl hw.memsize` did not answer)',
      fix: 'See the Machine check.',
    });
  } else if (m.memoryBytes < MLX_MIN_MEMORY_BYTES) {
    r.push({
      kind: 'no',
      reason: `${gib(m.memoryBytes)} of unified memory, under the 32 GB floor the MLX preview requires`,
      fix: `${cap(monitorAnyway)} (Metal); MLX needs a Mac with 32 GB or more.`,
    });
  }
  if (facts.ollama.reachable && versionBefore(facts.ollama.version, MLX_MIN_OLLAMA_VERSION) === true) {
    r.push({
      kind: 'no',
      reason: `Ollama ${facts.ollama.version} predates the MLX engine (${MLX_MIN_OLLAMA_VERSION})`,
      fix: 'Update Ollama (the app updates itself; `brew upgrade ollama` for Homebrew installs).',
    });
  }
  if (facts.models === null) {
    r.push({ kind: 'unknown', reason: 'the local models are unknown (Ollama did not list them)', fix: 'See the Ollama API check.' });
  } else if (!facts.models.some((x) => isMlxFormat(x.format))) {
    r.push({
      kind: 'no',
      reason: 'no MLX build pulled: every local model is GGUF, which runs on llama.cpp/Metal',
      fix: `${cap(MLX_PULL_HINT)}.`,
    });
  }
  const p = facts.memory?.pressure;
  if (p === 'warn' || p === 'critical') {
    r.push({
      kind: 'no',
      reason: `memory pressure is ${p}: an MLX model may not fit beside what runs now`,
      fix: 'Quit memory-hungry apps or unload models (`ollama stop MODEL`) before loading an MLX model.',
    });
  }
  return r;
}

export function mlxCheck(facts: DoctorFacts, eligible: boolean | null, reasons: MlxReason[], mlxModels: string[] | null): DoctorCheck {
  const base = { id: 'mlx', severity: 'info' as const, title: 'MLX eligibility' };
  if (eligible) {
    const m = facts.machine!;
    return {
      ...base,
      ok: true,
      detail: `eligible: ${m.chip ?? 'Apple Silicon'}, ${gib(m.memoryBytes!)}; MLX builds: ${mlxModels!.join(', ')}`,
      fix: null,
    };
  }
  const fixes = [...new Set(reasons.map((x) => x.fix))];
  return {
    ...base,
    ok: false,
    detail: `${eligible === false ? 'not eligible' : 'unknown'}: ${reasons.map((x) => x.reason).join('; ')}`,
    fix: fixes.join('\n'),
  };
}

export function expectMlxCheck(facts: DoctorFacts): DoctorCheck | null {
  if (facts.models === null) return null;
  const expects = mlxMatcher(facts.expectMlx);
  const expected = facts.models.filter((x) => expects(x.name));
  if (expected.length === 0 && facts.expectMlx.length === 0) return null;
  const gguf = expected.filter((x) => !isMlxFormat(x.format));
  const base = { id: 'expect-mlx', severity: 'warn' as const, title: 'Models expected on MLX' };
  if (gguf.length === 0) {
    return {
      ...base,
      ok: true,
      detail:
        expected.length > 0
          ? `all MLX builds: ${expected.map((x) => x.name).join(', ')}`
          : `no local model matches ${facts.expectMlx.join(', ')}`,
      fix: null,
    };
  }
  return {
    ...base,
    ok: false,
    detail: `${gguf.map((x) => `${x.name} (${x.format ?? 'format unknown'})`).join(', ')} will run on llama.cpp, not MLX`,
    fix: `${cap(MLX_PULL_HINT)}${facts.expectMlx.length > 0 ? ', or drop it from --expect-mlx' : ''}.`,
  };
}
