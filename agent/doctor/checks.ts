// `doctor`'s judgement, without any I/O: the gathered facts in, the report (checks with a concrete fix
// for each failure, machine, memory, MLX eligibility, models, KV sizing) out.
//
// Severity, and so the exit code: only what stops ollama-lens from doing its job is an `error` (exit
// code 1): no log source it could read (every configured source missing or unreadable) or Ollama's API
// unreachable. A source that fails while another one works is a `warn`. MLX ineligibility is `info`
// on purpose: a 16 GB Mac, an Intel Mac or a Linux box is still a fine machine to monitor, and its
// models simply run on llama.cpp; the user should learn why MLX will not serve, not see a failure.
// Memory pressure is a `warn`: it is a state of the moment, not a broken setup.
import { kvGeometry } from '../kv/kvGeometry.js';
import { kvSizing } from '../kv/kvSizing.js';
import { expectMlxCheck, isMlxFormat, mlxCheck, mlxReasons } from './mlxChecks.js';
import { logChecks, sourceFound, sourcePath, sourceReadable } from './sourceChecks.js';
import type { DoctorCheck, DoctorFacts, DoctorLoadedModel, DoctorModel, DoctorReport, LoadedModelFact } from './types.js';
import { bytes, gib, osName } from './wording.js';

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
