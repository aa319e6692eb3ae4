// `doctor`'s judgement, without any I/O: the gathered facts in, the report (checks with a concrete fix
// for each failure, machine, memory, MLX eligibility, models, KV sizing) out.
//
// Severity, and so the exit code: only what stops ollama-lens from doing its job is an `error` (exit
// code 1): no log source it could read (every configured source missing or unreadable) or Ollama's API
// unreachable. A source that fails while another one works is a `warn`. MLX ineligibility is `info`
// on purpose: a 16 GB Mac, an Intel Mac or a Linux box is still a fine machine to monitor, and its
// models simply run on llama.cpp; the user should learn why MLX will not serve, not see a failure.
// Memory pressure is a `warn`: it is a state of the moment, not a broken setup.
import { formatBytes } from '../../shared/format.js';
import { mlxMatcher } from '../correlate/options.js';
import { kvGeometry } from '../kv/kvGeometry.js';
import { kvSizing } from '../kv/kvSizing.js';
import type {
  CheckSeverity,
  DoctorCheck,
  DoctorFacts,
  DoctorLoadedModel,
  DoctorModel,
  DoctorReport,
  FileSourceFact,
  JournalSourceFact,
  LoadedModelFact,
  SourceFact,
} from './types.js';

const GIB = 2 ** 30;

/** The MLX preview requires a Mac with at least 32 GB of unified memory (`hw.memsize` 34,359,738,368 B). */
export const MLX_MIN_MEMORY_BYTES = 32 * GIB;

/** The first Ollama release with the MLX engine (preview, March 2026). */
export const MLX_MIN_OLLAMA_VERSION = '0.19.0';

/** `/api/tags` `details.format`: Ollama serves safetensors models with its MLX runner, GGUF with llama.cpp. */
export const isMlxFormat = (format: string | null): boolean => format?.toLowerCase() === 'safetensors';

const MLX_PULL_HINT =
  'pull an MLX build of a model: its tag names an MLX quantisation, e.g. `ollama pull qwen3.5:35b-a3b-coding-nvfp4` ' +
  '(tags ending in -nvfp4, -mxfp8 or -mlx are safetensors/MLX builds; `ollama show MODEL` prints its format)';

/** `10.7 GiB`, or `unknown`. */
const bytes = (n: number | null | undefined): string => (n === null || n === undefined ? 'unknown' : formatBytes(n));

/** Unified memory as people name it: 16 GiB, 17.2 GiB. */
const gib = (n: number): string => {
  const v = n / GIB;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)} GiB`;
};

const osName = (os: string): string =>
  (({ darwin: 'macOS', linux: 'Linux', win32: 'Windows', freebsd: 'FreeBSD' }) as Record<string, string>)[os] ?? os;

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

const sourcePath = (s: SourceFact): string => (s.kind === 'file' ? s.path : `journal:${s.unit}`);
const sourceReadable = (s: SourceFact): boolean =>
  s.kind === 'file' ? s.readable : s.journalctl !== false && s.installed !== false && s.readable === true;
const sourceFound = (s: SourceFact): boolean | null => (s.kind === 'file' ? s.found : s.installed);

// ---- log sources ------------------------------------------------------------------------------

function missingLogFix(facts: DoctorFacts, path: string): string {
  const check = facts.logsExplicit ? `Check the path (\`ls -l ${path}\`); ` : '';
  switch (facts.platform) {
    case 'darwin':
      return (
        `${check}Start the Ollama app once (it writes ~/.ollama/logs/server.log) or pass --log PATH.\n` +
        'If you run `ollama serve` in a terminal it logs there instead: `ollama serve 2>&1 | tee -a ~/.ollama/logs/server.log`.'
      );
    case 'linux':
      if (facts.ollamaUnit === true) {
        return (
          `${check}Ollama runs as the systemd unit ollama and logs to its journal: pass --journal ollama` +
          (facts.logsExplicit ? ' (without --log, ollama-lens picks it by itself).' : '.')
        );
      }
      return (
        `${check}Linux installs log to the systemd journal: pass --journal UNIT (\`systemctl list-unit-files | grep -i ollama\` names it).\n` +
        'If you start `ollama serve` yourself, write its output to a file: `ollama serve >> ~/.ollama/logs/server.log 2>&1`, and pass --log PATH.\n' +
        'In Docker: `docker logs -f ollama >> FILE 2>&1` and --log FILE.'
      );
    case 'win32':
      return `${check}Start Ollama once (it writes %LOCALAPPDATA%\\Ollama\\server.log) or pass --log PATH.`;
    default:
      return `${check}Pass the file Ollama's server writes its log to with --log PATH.`;
  }
}

function fileCheck(facts: DoctorFacts, s: FileSourceFact, severity: CheckSeverity): DoctorCheck {
  const base = { id: `log:${s.path}`, severity, title: `Log file ${s.path}` };
  if (s.readable) {
    return { ...base, ok: true, detail: `found, readable${s.sizeBytes !== null ? ` (${bytes(s.sizeBytes)})` : ''}`, fix: null };
  }
  if (!s.found) return { ...base, ok: false, detail: 'not found', fix: missingLogFix(facts, s.path) };
  if (s.error === 'EISDIR') {
    return {
      ...base,
      ok: false,
      detail: 'is a directory, not a log file',
      fix: `Pass the log file inside it, e.g. --log ${s.path.replace(/\/+$/, '')}/server.log.`,
    };
  }
  return {
    ...base,
    ok: false,
    detail: `found but not readable${s.error ? ` (${s.error === 'EACCES' ? 'permission denied' : s.error})` : ''}`,
    fix:
      `Give your user read access: \`sudo chmod a+r ${s.path}\` (and search access to its directories; \`ls -l ${s.path}\` shows the owner), ` +
      'or run ollama-lens as the user that runs Ollama.',
  };
}

function journalCheck(facts: DoctorFacts, s: JournalSourceFact, severity: CheckSeverity): DoctorCheck {
  const base = { id: `journal:${s.unit}`, severity, title: `Journal of systemd unit ${s.unit}` };
  const auto = facts.autoJournal ? ' (picked because the default log file does not exist)' : '';
  const said = s.detail ? `: ${s.detail}` : '';
  if (s.journalctl === false) {
    return {
      ...base,
      ok: false,
      detail: `journalctl is not available here${said}`,
      fix: "Follow a log file instead: --log PATH (or install systemd's journalctl).",
    };
  }
  if (s.installed === false) {
    return {
      ...base,
      ok: false,
      detail: `systemd has no unit ${s.unit}.service`,
      fix: "Find Ollama's unit with `systemctl list-unit-files | grep -i ollama` and pass --journal UNIT, or follow a log file with --log PATH.",
    };
  }
  if (s.readable === false) {
    return {
      ...base,
      ok: false,
      detail: `installed, but this user may not read its journal${said}`,
      fix: 'Let your user read the system journal: `sudo usermod -aG systemd-journal $USER`, then log out and back in (or run ollama-lens as root).',
    };
  }
  if (s.readable === null) {
    return {
      ...base,
      ok: false,
      detail: `could not tell whether its journal is readable${said}`,
      fix: `Run \`journalctl -u ${s.unit} -n 5\` to see what journalctl says.`,
    };
  }
  return { ...base, ok: true, detail: `installed, readable${auto}`, fix: null };
}

function logChecks(facts: DoctorFacts): DoctorCheck[] {
  if (facts.sources.length === 0) {
    return [
      {
        id: 'log',
        ok: false,
        severity: 'error',
        title: 'Log source',
        detail: 'no log file or journal configured',
        fix: 'Pass --log PATH (the file Ollama logs to) or, on Linux with systemd, --journal ollama.',
      },
    ];
  }
  return facts.sources.map((s) => {
    // A source that fails while another one works costs some coverage, not the whole job.
    const severity: CheckSeverity = facts.sources.some((o) => o !== s && sourceReadable(o)) ? 'warn' : 'error';
    return s.kind === 'file' ? fileCheck(facts, s, severity) : journalCheck(facts, s, severity);
  });
}

// ---- Ollama -----------------------------------------------------------------------------------

function ollamaCheck(facts: DoctorFacts): DoctorCheck {
  const o = facts.ollama;
  const base = { id: 'ollama', severity: 'error' as const, title: `Ollama API at ${o.url}` };
  if (o.reachable) return { ...base, ok: true, detail: `reachable, version ${o.version ?? 'unknown'}`, fix: null };
  if (o.error && /^HTTP \d+/.test(o.error)) {
    return {
      ...base,
      ok: false,
      detail: `something answers, but not like Ollama (${o.error})`,
      fix: 'Point ollama-lens at Ollama: pass --ollama URL or set OLLAMA_HOST (e.g. http://127.0.0.1:11434).',
    };
  }
  const start = facts.platform === 'linux' && facts.ollamaUnit === true ? '`sudo systemctl start ollama`' : '`ollama serve` or the app';
  return {
    ...base,
    ok: false,
    detail: `not reachable${o.error ? ` (${o.error})` : ''}`,
    fix: `Start Ollama (${start}); if it listens elsewhere pass --ollama URL or set OLLAMA_HOST.`,
  };
}

// ---- machine and memory -----------------------------------------------------------------------

function probeTrouble(facts: DoctorFacts): string | null {
  const down = facts.probes.filter((p) => !p.available);
  return down.length === 0 ? null : down.map((p) => `${p.name}: ${p.detail ?? 'not available'}`).join('; ');
}

function machineCheck(facts: DoctorFacts): DoctorCheck {
  const m = facts.machine;
  const base = { id: 'machine', severity: 'warn' as const, title: 'Machine' };
  if (!m) {
    const why = facts.timedOut.includes('machine') ? 'the probe did not answer in time' : (probeTrouble(facts) ?? 'the probe failed');
    return {
      ...base,
      ok: false,
      detail: `unknown (${why})`,
      fix:
        facts.platform === 'darwin'
          ? 'Check that `/usr/sbin/sysctl hw.memsize machdep.cpu.brand_string` runs for your user.'
          : 'Check that /proc/meminfo and /proc/cpuinfo are readable.',
    };
  }
  const parts = [
    m.osVersion ?? osName(m.os),
    m.arch,
    m.chip ?? 'chip unknown',
    m.memoryBytes !== null ? `${gib(m.memoryBytes)}${m.appleSilicon ? ' unified memory' : ''}` : 'memory unknown',
  ];
  return { ...base, ok: true, detail: parts.join(', '), fix: null };
}

function memoryCheck(facts: DoctorFacts): DoctorCheck {
  const s = facts.memory;
  const base = { id: 'memory', title: 'Memory pressure' };
  const extra = s ? `; available ${bytes(s.availableBytes)}, swap used ${bytes(s.swapUsedBytes)}` : '';
  if (!s || s.pressure === null) {
    const why = facts.timedOut.includes('memory') ? 'the probe did not answer in time' : (probeTrouble(facts) ?? 'no pressure signal here');
    const fix =
      facts.platform === 'darwin'
        ? 'Check that `sysctl kern.memorystatus_vm_pressure_level` runs for your user.'
        : facts.platform === 'linux'
          ? 'Pressure comes from PSI (/proc/pressure/memory): it needs Linux ≥ 4.20 with CONFIG_PSI (some kernels need the psi=1 boot option).'
          : 'Memory pressure is read on macOS and Linux only.';
    return { ...base, ok: false, severity: 'info', detail: `unknown (${why})${extra}`, fix };
  }
  if (s.pressure === 'normal') return { ...base, ok: true, severity: 'warn', detail: `normal${extra}`, fix: null };
  return {
    ...base,
    ok: false,
    severity: 'warn',
    detail: `${s.pressure}${extra}`,
    fix:
      'Free memory: quit memory-hungry apps or unload models (`ollama stop MODEL`); smaller contexts (num_ctx, OLLAMA_CONTEXT_LENGTH), ' +
      'OLLAMA_NUM_PARALLEL=1 or OLLAMA_KV_CACHE_TYPE=q8_0 shrink the KV cache.',
  };
}

// ---- MLX --------------------------------------------------------------------------------------

interface MlxReason {
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

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function mlxCheck(facts: DoctorFacts, eligible: boolean | null, reasons: MlxReason[], mlxModels: string[] | null): DoctorCheck {
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

function expectMlxCheck(facts: DoctorFacts): DoctorCheck | null {
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

// ---- models and KV sizing ---------------------------------------------------------------------

function models(facts: DoctorFacts): DoctorModel[] | null {
  return (
    facts.models?.map((x) => ({
      name: x.name,
      format: x.format,
      mlx: isMlxFormat(x.format),
      family: x.family,
      parameterSize: x.parameterSize,
      quantization: x.quantization,
      sizeBytes: x.sizeBytes,
    })) ?? null
  );
}

function loadedModel(facts: DoctorFacts, l: LoadedModelFact): DoctorLoadedModel {
  const sizing = kvSizing({
    geometry: kvGeometry(l.modelInfo),
    ctx: l.contextLength,
    parallel: facts.parallel,
    cacheType: facts.kvCacheType,
    loggedBytes: null,
    freeBytes: facts.memory?.availableBytes ?? null,
  });
  return {
    name: l.name,
    format: l.format,
    mlx: isMlxFormat(l.format),
    sizeBytes: l.sizeBytes,
    vramBytes: l.vramBytes,
    ctx: sizing.ctx,
    parallel: sizing.parallel,
    cacheType: sizing.cacheType,
    bytesPerToken: sizing.bytesPerToken,
    kvBytes: sizing.estimatedBytes,
    freeBytes: sizing.freeBytes,
    moreTokens: sizing.moreTokens,
  };
}

// ---- the report -------------------------------------------------------------------------------

export function doctorReport(facts: DoctorFacts): DoctorReport {
  const reasons = mlxReasons(facts);
  const eligible = reasons.some((x) => x.kind === 'no') ? false : reasons.length > 0 ? null : true;
  const mlxModels = facts.models?.filter((x) => isMlxFormat(x.format)).map((x) => x.name) ?? null;
  const checks: DoctorCheck[] = [
    ...logChecks(facts),
    ollamaCheck(facts),
    machineCheck(facts),
    memoryCheck(facts),
    mlxCheck(facts, eligible, reasons, mlxModels),
  ];
  const expect = expectMlxCheck(facts);
  if (expect) checks.push(expect);

  const m = facts.machine;
  const s = facts.memory;
  const first = facts.sources[0];
  return {
    ok: !checks.some((c) => !c.ok && c.severity === 'error'),
    at: facts.at,
    machine: {
      os: m?.os ?? facts.platform,
      osVersion: m?.osVersion ?? null,
      arch: m?.arch ?? null,
      chip: m?.chip ?? null,
      appleSilicon: m?.appleSilicon ?? null,
      memoryBytes: m?.memoryBytes ?? null,
      gpuBudgetBytes: m?.gpuBudgetBytes ?? null,
    },
    memory: {
      pressure: s?.pressure ?? null,
      availableBytes: s?.availableBytes ?? null,
      swapUsedBytes: s?.swapUsedBytes ?? null,
      totalBytes: s?.totalBytes ?? null,
      usedBytes: s?.usedBytes ?? null,
    },
    ollama: { url: facts.ollama.url, reachable: facts.ollama.reachable, version: facts.ollama.version, error: facts.ollama.error },
    log: {
      path: first ? sourcePath(first) : null,
      found: facts.sources.some((x) => sourceFound(x) === true),
      readable: facts.sources.some(sourceReadable),
      sources: facts.sources.map((x) => ({
        kind: x.kind,
        path: sourcePath(x),
        found: sourceFound(x),
        readable: x.kind === 'file' ? x.readable : x.readable,
        detail: x.kind === 'file' ? x.error : x.detail,
      })),
    },
    mlx: { eligible, reasons: reasons.map((x) => x.reason), models: mlxModels },
    models: models(facts),
    loaded: facts.loaded?.map((l) => loadedModel(facts, l)) ?? null,
    kvSettings: { cacheType: facts.kvCacheType, parallel: facts.parallel, from: facts.kvSettingsFrom },
    // One key order for every check in the JSON.
    checks: checks.map((c) => ({ id: c.id, ok: c.ok, severity: c.severity, title: c.title, detail: c.detail, fix: c.fix })),
  };
}
