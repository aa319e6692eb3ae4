// The KV cache type and parallelism doctor assumes the server runs with, and where that came from:
// pure, so the log text and the environment are read by the caller.
import { cacheTypeFromConfig } from '../kv/kvSizing.js';
import { parseEnvMap } from '../parse/envMap.js';
import type { DoctorFacts } from './types.js';

const SERVER_CONFIG = /server config"? env="(map\[.*?\])"/g;

/** The env map of the last `server config` line in the text (slog and Go `log` forms alike). */
export function lastServerConfig(text: string): Record<string, string> | null {
  let last: string | null = null;
  for (const m of text.matchAll(SERVER_CONFIG)) last = m[1]!;
  return last === null ? null : parseEnvMap(last);
}

/** `OLLAMA_NUM_PARALLEL` became 1 by default in v0.9.7; before, 0 meant "auto" (4 or 1). */
const PARALLEL_DEFAULT_ONE = [0, 9, 7];

function versionAtLeast(v: string | null, min: number[]): boolean {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v ?? '');
  if (!m) return false;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (parts.every((p) => p === 0)) return false;
  for (let i = 0; i < 3; i++) if (parts[i] !== min[i]) return parts[i]! > min[i]!;
  return true;
}

/**
 * The KV cache type and parallel sequences the server runs with: its `server config` line when the
 * log has one, else this shell's OLLAMA_* variables (a guess: the app or a service has its own), else
 * Ollama's defaults (f16; one sequence from v0.9.7, unknown before).
 */
export function kvSettings(
  serverConfig: Record<string, string> | null,
  env: NodeJS.ProcessEnv,
  version: string | null,
): Pick<DoctorFacts, 'kvCacheType' | 'parallel' | 'kvSettingsFrom'> {
  const parallelOf = (raw: string | undefined): number | null | undefined => {
    const t = raw?.trim();
    if (t === undefined || t === '') return undefined;
    return /^[1-9]\d{0,3}$/.test(t) ? Number(t) : null; // 0 = auto: unknown
  };
  const byDefault = versionAtLeast(version, PARALLEL_DEFAULT_ONE) ? 1 : null;
  if (serverConfig) {
    const p = parallelOf(serverConfig.OLLAMA_NUM_PARALLEL);
    return { kvCacheType: cacheTypeFromConfig(serverConfig), parallel: p === undefined ? byDefault : p, kvSettingsFrom: 'server config' };
  }
  const kv = env.OLLAMA_KV_CACHE_TYPE?.trim();
  const p = parallelOf(env.OLLAMA_NUM_PARALLEL);
  if (kv || p !== undefined) {
    return {
      kvCacheType: cacheTypeFromConfig({ OLLAMA_KV_CACHE_TYPE: kv ?? '' }),
      parallel: p === undefined ? byDefault : p,
      kvSettingsFrom: 'environment',
    };
  }
  return { kvCacheType: 'f16', parallel: byDefault, kvSettingsFrom: 'defaults' };
}
